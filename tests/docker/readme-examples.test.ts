// The README reader of tests/e2e/readme.test.ts: what it takes from the Markdown, and how
// strictly it holds an answer to the documented one.
import { differences, readmeOperations, resolveVariables } from '../readme-examples.js';

const fence = (language: string, code: string) => `\`\`\`${language}\n${code}\n\`\`\``;

describe('README examples reader', () => {
  it('takes named operations with the variables and answers their comments introduce', () => {
    const markdown = [
      fence('graphql', 'mutation Make { make { id } }\nquery Read($id: ID!) { read(id: $id) }'),
      '<!-- variables: Read -->',
      fence('json', '{ "id": "<make.id>" }'),
      '<!-- answer: Read -->',
      fence('json', '{ "data": { "read": "…" } }'),
      fence('json', '{ "not": "an answer: no comment introduces it" }'),
      fence('graphql', 'subscription Made { made }'),
      '<!-- event: Made after Make -->',
      fence('json', '{ "data": { "made": 1 } }'),
    ].join('\n\n');
    const [make, read, made] = readmeOperations(markdown);
    expect(make).toMatchObject({ name: 'Make', type: 'mutation' });
    expect(make!.answer).toBeUndefined();
    expect(read).toMatchObject({
      name: 'Read',
      variables: { id: '<make.id>' },
      answer: { data: { read: '…' } },
    });
    expect(read!.document).toBe(make!.document);
    expect(made).toMatchObject({ type: 'subscription', event: { after: 'Make' } });
    expect(() => readmeOperations(fence('graphql', '{ anonymous }'))).toThrow(/no name/);
    expect(() => readmeOperations(`<!-- answer: Nope -->\n${fence('json', '{}')}`)).toThrow(
      /"Nope"/,
    );
  });

  it('fills variables from the latest answer that has the path', () => {
    const answers = [{ make: { id: 'old' } }, { other: 1 }, { make: { id: 'new' } }];
    expect(resolveVariables({ id: '<make.id>', list: ['<other>'] }, answers)).toEqual({
      id: 'new',
      list: [1],
    });
    expect(() => resolveVariables({ id: '<missing.id>' }, answers)).toThrow(/missing/);
  });

  it.each([
    ['an exact match', { a: 'x', n: 1.5, b: true }, { a: 'x', n: 2, b: true }, []],
    ['any string for "…"', { id: 'abc' }, { id: '…' }, []],
    ['a different string', { a: 'y' }, { a: 'x' }, ['$.a: expected "x", got "y"']],
    ['a string for a number', { n: '1' }, { n: 1 }, ['$.n: expected a number, got "1"']],
    ['a missing key', {}, { a: 1 }, ['$.a: missing']],
    ['an extra key', { a: 1, b: 2 }, { a: 1 }, ['$.b: not documented (2)']],
    ['a longer list', [1, 2], [1], ['$: expected 1 items, got 2']],
    ['an open list', [1, 2, 3], [1, '…'], []],
    ['a short open list', [], [1, '…'], ['$: expected at least 1 items, got 0']],
    ['null for an object', null, { a: 1 }, ['$: expected an object, got null']],
  ])('compares %s', (_what, actual, documented, expected) => {
    expect(differences(actual, documented)).toEqual(expected);
  });
});
