/**
 * Writes an instant as the site's wall clock, "14:02:05 UTC+8": what the twin's words say ("held: data
 * lost at …"). The zone is the site's (model: timeZone); the same instant always reads the same. The
 * formatter is made on first use: it is large, and most sites never need it.
 */
export function siteClock(timeZone: string): (ms: number) => string {
  let format: Intl.DateTimeFormat | undefined;
  return (ms) => {
    format ??= new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'shortOffset' });
    const parts = format.formatToParts(ms);
    const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('hour')}:${part('minute')}:${part('second')} ${part('timeZoneName').replace('GMT', 'UTC')}`;
  };
}
