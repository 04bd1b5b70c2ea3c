"""A Modbus slave built on pymodbus (Debian python3-pymodbus), for the collector's tests.

usage: python3 pymodbus-server.py tcp PORT SPEC_JSON            Modbus TCP (MBAP) on 127.0.0.1:PORT
       python3 pymodbus-server.py rtu-over-tcp PORT SPEC_JSON   RTU frames over TCP, as behind a serial-to-Ethernet gateway
       python3 pymodbus-server.py rtu DEVICE SPEC_JSON LINE_JSON RTU on a serial line (a tty, e.g. one end of a pty pair)
SPEC_JSON: {"holding": [[address, type, order, value], ...], "input": [...], "coil": [[address, bool], ...], "discrete": [...]}
LINE_JSON: {"baudRate": 19200, "parity": "none" | "even" | "odd", "dataBits": 8, "stopBits": 1 | 2}
Values are encoded with pymodbus's own BinaryPayloadBuilder, so the collector's decoding is
checked against an implementation nobody here wrote. Prints "ready" on stdout once it serves.
"""
import asyncio
import json
import sys

from pymodbus.constants import Endian
from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.payload import BinaryPayloadBuilder
from pymodbus.server import StartAsyncSerialServer, StartTcpServer
from pymodbus.transaction import ModbusRtuFramer, ModbusSocketFramer

ORDERS = {
    "ABCD": (Endian.Big, Endian.Big),
    "CDAB": (Endian.Big, Endian.Little),
    "BADC": (Endian.Little, Endian.Big),
    "DCBA": (Endian.Little, Endian.Little),
}
PARITY = {"none": "N", "even": "E", "odd": "O"}


def encode(kind, order, value):
    byteorder, wordorder = ORDERS[order]
    builder = BinaryPayloadBuilder(byteorder=byteorder, wordorder=wordorder)
    getattr(builder, {
        "int16": "add_16bit_int", "uint16": "add_16bit_uint",
        "int32": "add_32bit_int", "uint32": "add_32bit_uint",
        "float32": "add_32bit_float", "float64": "add_64bit_float",
    }[kind])(value)
    return builder.to_registers()


def words(entries):
    block = [0] * 200
    for address, kind, order, value in entries:
        for i, word in enumerate(encode(kind, order, value)):
            block[address + i] = word
    return block


def bits(entries):
    block = [False] * 64
    for address, value in entries:
        block[address] = bool(value)
    return block


async def serve_serial(context, device, line):
    server = await StartAsyncSerialServer(
        context=context,
        framer=ModbusRtuFramer,
        port=device,
        baudrate=line["baudRate"],
        parity=PARITY[line["parity"]],
        bytesize=line["dataBits"],
        stopbits=line["stopBits"],
        defer_start=True,
    )
    await server.start()
    if server.transport is None:  # pymodbus logs and swallows a port that would not open
        sys.exit(f"could not open serial device {device} with {line}")
    print("ready", flush=True)
    await server.serve_forever()


def main():
    transport, address, spec = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    store = ModbusSlaveContext(
        hr=ModbusSequentialDataBlock(0, words(spec.get("holding", []))),
        ir=ModbusSequentialDataBlock(0, words(spec.get("input", []))),
        co=ModbusSequentialDataBlock(0, bits(spec.get("coil", []))),
        di=ModbusSequentialDataBlock(0, bits(spec.get("discrete", []))),
        zero_mode=True,
    )
    context = ModbusServerContext(slaves=store, single=True)
    if transport == "rtu":
        asyncio.run(serve_serial(context, address, json.loads(sys.argv[4])))
        return
    framer = ModbusRtuFramer if transport == "rtu-over-tcp" else ModbusSocketFramer
    print("ready", flush=True)  # the test still waits for the port to accept
    StartTcpServer(context=context, address=("127.0.0.1", int(address)), framer=framer)


if __name__ == "__main__":
    main()
