"""A Modbus TCP server built on pymodbus (Debian python3-pymodbus), for the collector's tests.

usage: python3 pymodbus-server.py PORT SPEC_JSON [rtu]
("rtu": RTU frames over TCP, as behind a serial-to-Ethernet gateway, instead of Modbus TCP)
SPEC_JSON: {"holding": [[address, type, order, value], ...], "input": [...], "coil": [[address, bool], ...], "discrete": [...]}
Values are encoded with pymodbus's own BinaryPayloadBuilder, so the collector's decoding is
checked against an implementation nobody here wrote.
"""
import json
import sys

from pymodbus.constants import Endian
from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.payload import BinaryPayloadBuilder
from pymodbus.server import StartTcpServer
from pymodbus.transaction import ModbusRtuFramer, ModbusSocketFramer

ORDERS = {
    "ABCD": (Endian.Big, Endian.Big),
    "CDAB": (Endian.Big, Endian.Little),
    "BADC": (Endian.Little, Endian.Big),
    "DCBA": (Endian.Little, Endian.Little),
}


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


def main():
    port = int(sys.argv[1])
    spec = json.loads(sys.argv[2])
    store = ModbusSlaveContext(
        hr=ModbusSequentialDataBlock(0, words(spec.get("holding", []))),
        ir=ModbusSequentialDataBlock(0, words(spec.get("input", []))),
        co=ModbusSequentialDataBlock(0, bits(spec.get("coil", []))),
        di=ModbusSequentialDataBlock(0, bits(spec.get("discrete", []))),
        zero_mode=True,
    )
    framer = ModbusRtuFramer if len(sys.argv) > 3 and sys.argv[3] == "rtu" else ModbusSocketFramer
    StartTcpServer(context=ModbusServerContext(slaves=store, single=True), address=("127.0.0.1", port), framer=framer)


if __name__ == "__main__":
    main()
