// Brute force and the outbox across replicas, on a real PostgreSQL server: two security
// subgraphs on one database count an account's failures together (parallel guesses at both
// let no more through than the budget), and a mail written through one replica is sent once
// by the dispatchers of both (FOR UPDATE SKIP LOCKED).
import { createTestDatabase, errorCodes, graphql, waitFor } from '@supergraph/kit/testing';
import type { SecurityConfig } from '../src/config.js';
import { createMailSink } from '../src/mail/mailer.js';
import { createSecuritySubgraph } from '../src/subgraph.js';
import { testSecurityConfig } from './config.js';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const ACCOUNT_FAILURES = 4;
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token } }';
const SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }';

describe('sign-in throttle and outbox across two replicas (PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const sinks = [createMailSink(), createMailSink()];
  const replicas: Awaited<ReturnType<typeof createSecuritySubgraph>>[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(SERVER_URL, 'sg_throttle');
    const base = testSecurityConfig();
    const config: SecurityConfig = {
      ...base,
      database: { ...base.database, url: database.url },
      signInThrottle: { ...base.signInThrottle, accountFailures: ACCOUNT_FAILURES },
      mail: { ...base.mail, outboxPollMs: 20 },
    };
    // One after the other: the first applies the migrations.
    for (const mailer of sinks) replicas.push(await createSecuritySubgraph(config, { mailer }));
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await database?.drop();
  });

  it('counts the failures of both replicas together', async () => {
    const input = { email: 'replicated@example.com', password: 'right password' };
    expect(
      (await graphql(replicas[0]!.yoga, { query: SIGN_UP, variables: { input } })).errors,
    ).toBeUndefined();
    const guesses = Array.from({ length: 12 }, (_, i) =>
      graphql(replicas[i % 2]!.yoga, {
        query: LOGIN,
        variables: { input: { ...input, password: `guess ${i}` } },
        headers: { 'x-forwarded-for': `198.51.100.${i}` },
      }),
    );
    const codes = (await Promise.all(guesses)).map((result) => errorCodes(result)[0]);
    expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(ACCOUNT_FAILURES);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(12 - ACCOUNT_FAILURES);
    const locked = await graphql(replicas[1]!.yoga, { query: LOGIN, variables: { input } });
    expect(errorCodes(locked)).toEqual(['RATE_LIMITED']);
  });

  it('sends each mail once, whichever replica wrote it', async () => {
    const emails = Array.from({ length: 6 }, (_, i) => `mailed${i}@example.com`);
    for (const [i, email] of emails.entries()) {
      const input = { email, password: 'right password' };
      await graphql(replicas[i % 2]!.yoga, { query: SIGN_UP, variables: { input } });
      await graphql(replicas[i % 2]!.yoga, {
        query: 'mutation($email: String!) { requestPasswordReset(email: $email) }',
        variables: { email },
      });
    }
    const sent = () => sinks.flatMap((sink) => sink.sent).filter((m) => emails.includes(m.to));
    await waitFor(() => sent().length >= emails.length, 'every reset mail');
    expect(
      sent()
        .map((mail) => mail.to)
        .sort(),
    ).toEqual([...emails].sort());
  });
});
