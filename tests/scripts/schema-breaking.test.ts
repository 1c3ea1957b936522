// The breaking-change report's decision on small schemas: a breaking change fails unless the
// commit says it is intended; safe changes, no changes and no base pass.
import { buildSchema } from 'graphql';
import { INTENDED_MARKER, compareSchemas } from '../../scripts/schema-breaking.js';

const BASE = buildSchema(`
  "Reads." type Query { "A user." user(id: ID!): User }
  "A user." type User { "Id." id: ID! "Name." name: String! }
`);
const FIELD_REMOVED = buildSchema(`
  "Reads." type Query { "A user." user(id: ID!): User }
  "A user." type User { "Id." id: ID! }
`);
const FIELD_ADDED = buildSchema(`
  "Reads." type Query { "A user." user(id: ID!): User }
  "A user." type User { "Id." id: ID! "Name." name: String! "Email." email: String }
`);

describe('schema breaking-change report', () => {
  it('fails on a breaking change and names it', async () => {
    const report = await compareSchemas(BASE, FIELD_REMOVED, 'Drop the name\n');
    expect(report.exitCode).toBe(1);
    expect(report.lines).toContainEqual(expect.stringMatching(/^ {2}BREAKING .*User\.name/));
  });

  it('passes a breaking change the commit message marks as intended', async () => {
    const message = 'Drop the name\n\nNobody reads it.\nBreaking-Change: intended\n';
    const report = await compareSchemas(BASE, FIELD_REMOVED, message);
    expect(report.exitCode).toBe(0);
    expect(report.lines).toContainEqual(expect.stringMatching(/^ {2}BREAKING /));
  });

  it('does not take the marker from the middle of a line', () => {
    expect(INTENDED_MARKER.test('No Breaking-Change: intended here')).toBe(false);
    expect(INTENDED_MARKER.test('subject\n\nbreaking-change: Intended')).toBe(true);
  });

  it('passes and lists a safe change', async () => {
    const report = await compareSchemas(BASE, FIELD_ADDED, 'Add the email\n');
    expect(report.exitCode).toBe(0);
    expect(report.lines).toContainEqual(expect.stringMatching(/^ {2}SAFE .*User\.email/));
  });

  it('passes when nothing changed', async () => {
    const report = await compareSchemas(BASE, BASE, '');
    expect(report).toEqual({ lines: ['The API schema has not changed.'], exitCode: 0 });
  });

  it('passes without a base (a shallow clone or the first commit)', async () => {
    const report = await compareSchemas(null, BASE, '');
    expect(report.exitCode).toBe(0);
    expect(report.lines.join('\n')).toMatch(/No base schema/);
  });
});
