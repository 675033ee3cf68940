import { readVectorJson } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import {
  describeEnhancedStatus,
  enhancedStatus,
  findEnumeratedStatus,
} from './describe-enhanced-status.js';
import { Status, Subject } from './generated/enhanced-status-registry.js';
import { createReply } from './reply.js';
import { ReplyError } from './reply-error.js';

interface RegistryJson {
  class_sub_codes: { records: { code: string; summary: string }[] };
  subject_sub_codes: { records: { code: string; summary: string }[] };
  enumerated_status_codes: {
    records: { code: string; sample_text: string; basic_codes: number[]; description: string }[];
  };
}
const registry = readVectorJson<RegistryJson>('status', 'iana-enhanced-status-codes.json');

describe('describeEnhancedStatus', () => {
  it("describes 5.1.1 with the registry's class, subject and detail texts and basic codes", () => {
    expect(describeEnhancedStatus('5.1.1')).toMatchObject({
      code: '5.1.1',
      status: { class: 5, subject: 1, detail: 1 },
      classText: 'Permanent Failure',
      subjectText: 'Addressing Status',
      detailText: 'Bad destination mailbox address',
      basicCodes: [451, 550],
      name: 'BadDestinationMailboxAddress',
      registered: true,
      deprecated: false,
    });
  });

  it('describes every registry code in every class, taking texts from the vector', () => {
    const classes = new Map(registry.class_sub_codes.records.map((r) => [r.code[0], r.summary]));
    const subjects = new Map(
      registry.subject_sub_codes.records.map((r) => [Number(r.code.split('.')[1]), r.summary]),
    );
    expect(registry.enumerated_status_codes.records).toHaveLength(81);
    for (const rec of registry.enumerated_status_codes.records) {
      const [, subject, detail] = rec.code.split('.');
      for (const cls of ['2', '4', '5']) {
        const d = describeEnhancedStatus(`${cls}.${subject}.${detail}`);
        expect(d?.classText).toBe(classes.get(cls));
        expect(d?.subjectText).toBe(subjects.get(Number(subject)));
        expect(d?.detailText).toBe(rec.sample_text === '' ? rec.description : rec.sample_text);
        expect(d?.basicCodes).toEqual(rec.basic_codes);
        expect(d?.registered).toBe(true);
      }
    }
  });

  // RFC 3463 §3: a client "must recognize and report class sub-code even where subsequent
  // subject sub-codes are unrecognized", and the subject "even if the additional detail provided
  // by the detail sub-code is not recognized".
  it('reports class and subject of an unregistered detail', () => {
    expect(describeEnhancedStatus('4.4.99')).toMatchObject({
      classText: 'Persistent Transient Failure',
      subjectText: 'Network and Routing Status',
      detailText: undefined,
      basicCodes: [],
      registered: false,
    });
  });

  it('reports the class of an unregistered subject', () => {
    expect(describeEnhancedStatus({ class: 2, subject: 9, detail: 0 })).toMatchObject({
      classText: 'Success',
      subjectText: undefined,
      detailText: undefined,
      registered: false,
    });
  });

  it('marks X.6.10 deprecated, as the registry does', () => {
    expect(describeEnhancedStatus('5.6.10')).toMatchObject({ deprecated: true, registered: true });
  });

  // The registry gives X.6.10 no sample text: detailText is then its description, so a registered
  // code always has a text to show; the empty sample text stays in detailRecord.
  it('gives X.6.10, which has an empty sample text, its description as detailText', () => {
    const d = describeEnhancedStatus('5.6.10');
    expect(d?.detailRecord?.sampleText).toBe('');
    expect(d?.detailText).toBe('This is a duplicate of X.6.8 and is thus deprecated.');
    for (const rec of registry.enumerated_status_codes.records) {
      const text = describeEnhancedStatus(`5.${rec.code.slice(2)}`)?.detailText;
      expect(text, rec.code).toBeTruthy();
    }
  });

  it.each(['', '5.1', '5.01.1', '3.1.1', 'x'])('returns undefined for invalid syntax %j', (t) => {
    expect(describeEnhancedStatus(t)).toBeUndefined();
  });

  it('returns undefined for an invalid object', () => {
    expect(describeEnhancedStatus({ class: 3 as never, subject: 0, detail: 0 })).toBeUndefined();
  });
});

describe('Status and Subject', () => {
  it('names every registry code once, with the right subject and detail', () => {
    const names = Object.entries(Status);
    expect(names).toHaveLength(registry.enumerated_status_codes.records.length);
    for (const [name, { subject, detail }] of names) {
      expect(findEnumeratedStatus(subject, detail)?.name).toBe(name);
    }
  });

  it('gives the example from the brief', () => {
    expect(Status.BadDestinationMailboxAddress).toEqual({ subject: 1, detail: 1 });
    expect(Subject.Addressing).toBe(1);
    expect(Subject.SecurityOrPolicy).toBe(7);
  });

  it('enhancedStatus combines a class with a Status entry', () => {
    const s = enhancedStatus(5, Status.NonAsciiAddressesNotPermitted);
    expect(s).toEqual({ class: 5, subject: 6, detail: 7 });
    expect(createReply(553, s, 'x').enhanced).toEqual(s);
    expect(() => enhancedStatus(5, { subject: 1000, detail: 0 })).toThrow(ReplyError);
  });
});
