// How the router completes what subgraphs answer (response-completion.ts), against a subgraph
// that answers exactly what a test scripts: a null in a non-null position is an error with its
// path and nulls the nearest nullable parent, unless the subgraph's own error explains it;
// values that do not fit their type are refused; aliases, fragments and @skip shape the answer.
import { composeServices } from '@apollo/composition';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphql } from '@supergraph/kit/testing';
import { parse } from 'graphql';
import { parseConfig } from '../src/config.js';
import { createRouter, type Router } from '../src/router.js';

const TYPE_DEFS = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
  type Query { must: Thing! maybe: Thing things: [Thing!] kind: Kind shape: Shape }
  type Thing @key(fields: "id") { id: ID! name: String! }
  enum Kind { SMALL LARGE }
  interface Shape { id: ID! }
  type Circle implements Shape { id: ID! radius: Int }
  type Square implements Shape { id: ID! side: Int }
`;

type Answer = (query: string, variables: Record<string, unknown>) => unknown;

describe('completing subgraph answers', () => {
  let answer: Answer = () => ({ data: null });
  let router: Router;
  let url: string;
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const { query, variables } = JSON.parse(body) as {
        query: string;
        variables?: Record<string, unknown>;
      };
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(answer(query, variables ?? {})));
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const subgraphUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const { supergraphSdl, errors } = composeServices([
      { name: 'things', url: subgraphUrl, typeDefs: parse(TYPE_DEFS) },
    ]);
    if (errors) throw errors[0];
    router = await createRouter(parseConfig({ LOG_LEVEL: 'silent', PORT: '0' }), {
      supergraphSdl: supergraphSdl!,
    });
    ({ url } = await router.listen());
  });
  afterAll(async () => {
    await router.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const ask = async (query: string, variables?: Record<string, unknown>) => {
    const { data, errors } = await graphql(url, { query, variables });
    return {
      data,
      errors: errors?.map(({ message, path, extensions }) => ({
        message,
        path,
        code: extensions?.['code'],
      })),
    };
  };

  it("adds no error of its own to a null the subgraph's error explains", async () => {
    // The subgraph's own null propagation took `must` and the whole data with it.
    answer = () => ({ data: null, errors: [{ message: 'boom', path: ['must', 'name'] }] });
    const result = await ask('{ must { id name } }');
    expect(result.data).toBeNull();
    expect(result.errors?.map((error) => [error.message, error.path])).toEqual([
      ['boom', ['must', 'name']],
    ]);
  });

  it('reports a null in a non-null position with its path, nulling the nearest nullable parent', async () => {
    answer = () => ({ data: { maybe: { id: '1', name: null } } });
    expect(await ask('{ maybe { id name } }')).toEqual({
      data: { maybe: null },
      errors: [
        {
          message: 'Cannot return null for non-nullable field Thing.name.',
          path: ['maybe', 'name'],
          code: 'RESPONSE_VALIDATION_FAILED',
        },
      ],
    });
  });

  it('nulls a list whose non-null item is null', async () => {
    answer = () => ({
      data: {
        things: [
          { id: '1', name: 'one' },
          { id: '2', name: null },
        ],
      },
    });
    const result = await ask('{ things { id name } }');
    expect(result.data).toEqual({ things: null });
    expect(result.errors?.map((error) => error.path)).toEqual([['things', 1, 'name']]);
  });

  it('answers data: null when the null reaches the root', async () => {
    answer = () => ({ data: { must: { id: '1', name: null } } });
    const result = await ask('{ must { id name } }');
    expect(result.data).toBeNull();
    expect(result.errors?.map((error) => error.code)).toEqual(['RESPONSE_VALIDATION_FAILED']);
  });

  it('refuses values that do not fit their type', async () => {
    answer = () => ({ data: { kind: 'HUGE', maybe: { id: '1', name: 7 } } });
    const result = await ask('{ kind maybe { id name } }');
    expect(result.data).toEqual({ kind: null, maybe: null });
    expect(result.errors?.map((error) => [error.path, error.code])).toEqual([
      [['kind'], 'RESPONSE_VALIDATION_FAILED'],
      [['maybe', 'name'], 'RESPONSE_VALIDATION_FAILED'],
    ]);
  });

  it('shapes aliases, fragments on the runtime type, __typename and @skip', async () => {
    answer = (query, variables) => {
      expect(query).toContain('__typename');
      const skipName = variables['quiet'] === true;
      return {
        data: {
          shape: { __typename: 'Circle', id: 's1', radius: 3 },
          a: { id: '1' },
          b: skipName ? { id: '1' } : { id: '1', name: 'one' },
        },
      };
    };
    const query = `query($quiet: Boolean!) {
      shape { kind: __typename id ...on Square { side } ...on Circle { radius } }
      a: maybe { id }
      b: maybe { id name @skip(if: $quiet) }
    }`;
    expect(await ask(query, { quiet: false })).toEqual({
      data: {
        shape: { kind: 'Circle', id: 's1', radius: 3 },
        a: { id: '1' },
        b: { id: '1', name: 'one' },
      },
    });
    expect((await ask(query, { quiet: true })).data).toEqual({
      shape: { kind: 'Circle', id: 's1', radius: 3 },
      a: { id: '1' },
      b: { id: '1' },
    });
  });

  it('refuses variables that do not fit their definitions before any subgraph is asked', async () => {
    answer = () => {
      throw new Error('the subgraph must not be asked');
    };
    const result = await ask('query($quiet: Boolean!) { maybe { id name @skip(if: $quiet) } }', {
      quiet: 'yes',
    });
    expect(result.errors?.map((error) => error.code)).toEqual(['BAD_USER_INPUT']);
  });
});
