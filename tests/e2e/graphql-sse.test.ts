// graphql-sse's own protocol through the router on /graphql/stream, with the real graphql-sse
// client in both of its modes: distinct connections (a request per operation) and single
// connection (PUT reserves a stream, GET opens it, POST sends operations into it).
import { errorCodes } from '@supergraph/kit/testing';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';
import { subscribeSse, untilOpenSubscriptions } from '../realtime.js';

const STREAM = {
  query: `subscription($input: CompletionInput!) {
    completionStream(input: $input) { index delta done }
  }`,
  variables: { input: { messages: [{ role: 'USER', content: 'over graphql sse' }] } },
};

describe('graphql-sse protocol through the router', () => {
  let supergraph: Supergraph;
  let streamUrl: string;
  beforeAll(async () => {
    supergraph = await startSupergraph();
    streamUrl = `${supergraph.url}/stream`;
  });
  afterAll(() => supergraph.close());

  it.each([
    ['single connection', true],
    ['distinct connections', false],
  ])('streams a subscription in %s mode, with the token', async (_mode, singleConnection) => {
    const { token } = await signUp(supergraph.url);
    const stream = subscribeSse(streamUrl, token, STREAM, { singleConnection });
    try {
      await stream.done;
      expect(stream.results.every((result) => result.errors === undefined)).toBe(true);
      const chunks = stream.results.map((result) => result.data!['completionStream']);
      expect(chunks.map((chunk) => chunk.delta).join('')).toBe('over graphql sse');
      expect(chunks.at(-1)).toMatchObject({ done: true });
    } finally {
      stream.dispose();
    }
    await untilOpenSubscriptions(supergraph.services.provider, 0);
  });

  it('refuses a subscription without a token in single connection mode', async () => {
    const stream = subscribeSse(streamUrl, undefined, STREAM, { singleConnection: true });
    try {
      await stream.done;
      expect(stream.results.flatMap((result) => errorCodes(result))).toEqual(['UNAUTHENTICATED']);
    } finally {
      stream.dispose();
    }
  });

  it('answers an invalid operation with its validation error on the stream', async () => {
    const { token } = await signUp(supergraph.url);
    const stream = subscribeSse(
      streamUrl,
      token,
      { query: 'subscription { noSuchField }' },
      {
        singleConnection: true,
      },
    );
    try {
      await stream.done;
      expect(stream.results.flatMap((result) => errorCodes(result))).toEqual([
        'GRAPHQL_VALIDATION_FAILED',
      ]);
    } finally {
      stream.dispose();
    }
  });
});
