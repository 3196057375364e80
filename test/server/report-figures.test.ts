/**
 * The reports' arithmetic: percentiles from log-scale histograms, local days assembled from
 * UTC hours in several time zones, and CSV cells safe to open in a spreadsheet.
 */
import { describe, expect, it } from 'vitest';
import { assembleReport, localHour, utcHoursFor } from '../../server/domain/report-assembly.ts';
import { countEntry, emptyBucket, type HourBucket } from '../../server/domain/report-bucket.ts';
import { conversationsCsv, csvCell } from '../../server/domain/report-csv.ts';
import { type ReportEntry, reportEntry } from '../../server/domain/report-entry.ts';
import { addSample, type Histogram, percentile } from '../../server/domain/wait-histogram.ts';
import { conversationRecord } from '../support/records.ts';

/** The nearest-rank percentile of raw samples, to hold the histogram's answer against. */
function exact(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] ?? 0;
}

describe('percentiles from a log-scale histogram', () => {
  it('has no percentile without samples', () => {
    expect(percentile({}, 0.5)).toBeNull();
  });

  it('is within 4.5% of the exact nearest-rank percentile, over waits from 1 s to 2 hours', () => {
    // A fixed spread of waits, skewed as waits are: many short, a long tail.
    const samples = Array.from({ length: 997 }, (_, i) => 1000 + ((i * 7919) % 997) ** 2 * 7);
    const histogram: Histogram = {};
    for (const ms of samples) addSample(histogram, ms);
    for (const q of [0.1, 0.5, 0.9, 0.99]) {
      const truth = exact(samples, q);
      const got = percentile(histogram, q) ?? 0;
      expect(Math.abs(got - truth) / truth).toBeLessThanOrEqual(0.045);
    }
  });

  it('puts waits under a second in one bin, answered as half a second', () => {
    const histogram: Histogram = {};
    for (const ms of [0, 10, 999]) addSample(histogram, ms);
    expect(percentile(histogram, 0.5)).toBe(500);
  });

  it('takes a sample back out, and forgets a bin once empty', () => {
    const histogram: Histogram = {};
    addSample(histogram, 30_000);
    addSample(histogram, 90_000);
    addSample(histogram, 90_000, -1);
    expect(Object.keys(histogram)).toHaveLength(1);
    expect(Math.abs((percentile(histogram, 0.9) ?? 0) / 30_000 - 1)).toBeLessThan(0.045);
  });
});

/** A bucket with `chats` chats asked in UTC hour `hour`. */
function bucket(hour: string, chats: number): HourBucket {
  const b = emptyBucket(hour);
  for (let i = 0; i < chats; i++) {
    const entry: ReportEntry = {
      id: `${hour}-${i}`,
      hour,
      createdAt: `${hour}:10:00.000Z`,
      endedAt: `${hour}:20:00.000Z`,
      kind: 'chat',
      outcome: 'answered',
      waitMs: 60_000,
      lengthMs: 600_000,
    };
    countEntry(b, entry, 1);
  }
  return b;
}

describe('days in the helper’s time zone, assembled from UTC hours', () => {
  // 22:00 UTC on Sunday 1 March 2026, then each hour to 03:00 UTC on Monday.
  const hours = ['2026-03-01T22', '2026-03-01T23', '2026-03-02T00', '2026-03-02T01'];
  const buckets = hours.map((hour, i) => bucket(hour, i + 1));
  const day = (tz: string, date: string) =>
    assembleReport(buckets, { from: date, to: date, tz }).days[0]?.chats;

  it('in UTC, counts each hour on its own date', () => {
    expect(day('UTC', '2026-03-01')).toBe(1 + 2);
    expect(day('UTC', '2026-03-02')).toBe(3 + 4);
  });

  it('east of UTC, moves late hours into the next local day, exactly', () => {
    // Paris is UTC+1 in March: 23:00 UTC is midnight on the 2nd.
    expect(day('Europe/Paris', '2026-03-01')).toBe(1);
    expect(day('Europe/Paris', '2026-03-02')).toBe(2 + 3 + 4);
  });

  it('west of UTC, keeps early hours in the local day before', () => {
    // New York is UTC−5 on 1–2 March 2026: all four hours are the evening of the 1st.
    expect(day('America/New_York', '2026-03-01')).toBe(10);
    expect(day('America/New_York', '2026-03-02')).toBe(0);
  });

  it('follows daylight saving: the same UTC hour falls an hour later in summer', () => {
    expect(localHour('2026-01-15T12', 'Europe/Paris').hour).toBe(13);
    expect(localHour('2026-07-15T12', 'Europe/Paris').hour).toBe(14);
  });

  it('in a half-hour zone, counts an hour in the local hour its start falls in', () => {
    // India is UTC+5:30: 18:00 UTC starts at 23:30 local, and is counted on that day.
    expect(localHour('2026-03-01T18', 'Asia/Kolkata')).toEqual({
      date: '2026-03-01',
      weekday: 6,
      hour: 23,
    });
  });

  it('puts the heat map in local weekday and hour (Monday first)', () => {
    const report = assembleReport(buckets, {
      from: '2026-03-01',
      to: '2026-03-02',
      tz: 'Europe/Paris',
    });
    // 22:00 UTC Sunday = 23:00 Sunday in Paris; 23:00 UTC = 00:00 Monday.
    expect(report.heat[6]?.[23]).toBe(1);
    expect(report.heat[0]?.[0]).toBe(2);
    expect(report.heat[0]?.[2]).toBe(4);
  });

  it('reads a day either side of the range, for every zone', () => {
    expect(utcHoursFor({ from: '2026-03-01', to: '2026-03-31' })).toEqual({
      first: '2026-02-28T00',
      last: '2026-04-01T23',
    });
  });
});

describe('report entries', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 2, 1, 9, 0, s)).toISOString();

  it('counts a chat the visitor left before any helper wrote as missed', () => {
    const record = conversationRecord({
      status: 'ended',
      createdAt: at(0),
      endedAt: at(40),
      endedBy: 'visitor',
    });
    expect(reportEntry(record)).toMatchObject({ outcome: 'missed', lengthMs: 40_000 });
    expect(reportEntry(record)?.waitMs).toBeUndefined();
  });

  it('times the wait to the first helper message, and counts follow and mirror use', () => {
    const record = conversationRecord({
      status: 'ended',
      createdAt: at(0),
      answeredAt: at(25),
      endedAt: at(50),
      endedBy: 'helper',
      helperId: 'h1',
      helperName: 'Alex',
      followedOnce: true,
    });
    expect(reportEntry(record)).toMatchObject({
      outcome: 'answered',
      waitMs: 25_000,
      helperName: 'Alex',
      followed: true,
    });
  });

  it('counts a chat a helper ended before anyone wrote as neither answered nor missed', () => {
    const record = conversationRecord({
      status: 'ended',
      createdAt: at(0),
      endedAt: at(40),
      endedBy: 'helper',
      helperId: 'h1',
    });
    expect(reportEntry(record)?.outcome).toBeUndefined();
  });

  it('counts an offline message apart, with no wait and no outcome', () => {
    const record = conversationRecord({ kind: 'message', status: 'ended', endedBy: 'helper' });
    expect(reportEntry(record)).toMatchObject({ kind: 'message' });
    expect(reportEntry(record)?.outcome).toBeUndefined();
  });
});

describe('CSV cells', () => {
  it('makes a formula text and escapes quotes', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(12)).toBe('12');
  });

  it('writes a conversation per line, times in the zone', () => {
    const text = conversationsCsv(
      [
        {
          id: 'c1',
          hour: '2026-03-01T23',
          createdAt: '2026-03-01T23:30:00.000Z',
          endedAt: '2026-03-01T23:40:00.000Z',
          kind: 'chat',
          outcome: 'answered',
          waitMs: 30_000,
          lengthMs: 600_000,
          helperName: 'Alex',
          rating: { value: 'down', comment: '=cmd', at: '2026-03-01T23:41:00.000Z' },
        },
      ],
      'Europe/Paris',
    );
    const [, line] = text.split('\r\n');
    expect(line).toBe(
      "c1,2026-03-02 00:30:00,2026-03-02 00:40:00,chat,answered,30,600,Alex,thumbs down,'=cmd,no,no",
    );
  });
});
