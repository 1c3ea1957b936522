// Rate limits at the router, counted by the kit's rate-limit.ts (in process, or in Redis so
// that replicas share one budget): every GraphQL operation takes a point from its identity's
// budget (the verified user, else the client's address), and each field that checks a
// credential (a password, a second factor, a passkey, an identity provider's code, a refresh
// token) or creates an account also takes one from its address's budget of credential
// attempts; login and signUp, which name their account, from the account's budget too.
import {
  Kind,
  getOperationAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import {
  accountKey,
  clientAddress,
  type ClientRequestContext,
  rateLimitedError,
  type BaseContext,
  type RateLimitBucket,
  type RateLimitRefusal,
  type RateLimits,
} from '@supergraph/kit';

/** The mutations that check a password or create an account (their input names the account). */
export const CREDENTIAL_FIELDS: ReadonlySet<string> = new Set(['login', 'signUp']);

/** The mutations of the other sign-in steps: each checks a credential (a code of the second
 * factor, a passkey's signature, an identity provider's code, a refresh token) but names no
 * account, so they count against the address only. */
export const SIGN_IN_STEP_FIELDS: ReadonlySet<string> = new Set([
  'completeMfaLogin',
  'finishPasskeyLogin',
  'finishSsoLogin',
  'refreshSession',
]);

/** Sign-in steps whose success gives the address's point back: only the holder of a refresh
 * token can refresh with it, once, so successes are no guesses, and many clients behind one
 * address (an office's NAT) refreshing every few minutes must not spend the address's budget. */
export const REFUNDED_ON_SUCCESS: ReadonlySet<string> = new Set(['refreshSession']);

/** The login answer of a right password on an account with a second factor: not a failure. */
export const MFA_REQUIRED = 'MFA_REQUIRED';

export interface RateLimitSettings {
  perIdentity: RateLimitBucket;
  loginPerAccount: RateLimitBucket;
  loginPerIp: RateLimitBucket;
  /** Proxies in front of the router that append to X-Forwarded-For; 0 believes no header. */
  trustedProxyHops: number;
}

interface RequestContext extends Partial<BaseContext>, ClientRequestContext {}

interface CredentialAttempt {
  /** The mutation field, e.g. `login`. */
  field: string;
  /** Where the field's answer is in `data` (its alias, or its name). */
  responseKey: string;
  account: string | undefined;
}

function emailOf(value: ValueNode | undefined, variables: Record<string, unknown>) {
  if (!value) return undefined;
  if (value.kind === Kind.VARIABLE) {
    const input = variables[value.name.value] as { email?: unknown } | undefined;
    return typeof input?.email === 'string' ? input.email : undefined;
  }
  if (value.kind !== Kind.OBJECT) return undefined;
  const email = value.fields.find((field) => field.name.value === 'email')?.value;
  if (email?.kind === Kind.STRING) return email.value;
  if (email?.kind === Kind.VARIABLE) {
    const given = variables[email.name.value];
    return typeof given === 'string' ? given : undefined;
  }
  return undefined;
}

/** The credential-checking fields of an operation (aliased ones and those in fragments too). */
export function credentialAttempts(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> = {},
): CredentialAttempt[] {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'mutation') return [];
  const fragments = new Map(
    document.definitions
      .filter((node): node is FragmentDefinitionNode => node.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const attempts: CredentialAttempt[] = [];
  // Validation has already refused fragment cycles.
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet);
      } else if (CREDENTIAL_FIELDS.has(selection.name.value)) {
        const input = selection.arguments?.find((arg) => arg.name.value === 'input')?.value;
        const email = emailOf(input, variables);
        attempts.push({
          field: selection.name.value,
          responseKey: selection.alias?.value ?? selection.name.value,
          account: email === undefined ? undefined : accountKey(email),
        });
      } else if (SIGN_IN_STEP_FIELDS.has(selection.name.value)) {
        attempts.push({
          field: selection.name.value,
          responseKey: selection.alias?.value ?? selection.name.value,
          account: undefined,
        });
      }
    }
  };
  visit(operation.selectionSet);
  return attempts;
}

const countBy = (keys: string[]) =>
  keys.reduce(
    (counts, key) => counts.set(key, (counts.get(key) ?? 0) + 1),
    new Map<string, number>(),
  );

export function useRateLimits(rateLimits: RateLimits, settings: RateLimitSettings): Plugin {
  const perIdentity = rateLimits.bucket('identity', settings.perIdentity);
  const loginPerAccount = rateLimits.bucket('login-account', settings.loginPerAccount);
  const loginPerIp = rateLimits.bucket('login-ip', settings.loginPerIp);

  const identityKey = (context: RequestContext) =>
    context.identity
      ? `user:${context.identity.userId}`
      : `ip:${clientAddress(context, settings.trustedProxyHops)}`;

  /** Takes the operation's points; the first refusal, if any. */
  async function consume(
    context: RequestContext,
    attempts: CredentialAttempt[],
  ): Promise<RateLimitRefusal | undefined> {
    const general = await perIdentity.consume(identityKey(context));
    if (general || attempts.length === 0) return general;
    const address = clientAddress(context, settings.trustedProxyHops);
    const byAddress = await loginPerIp.consume(address, attempts.length);
    if (byAddress) return byAddress;
    const accounts = countBy(attempts.flatMap(({ account }) => (account ? [account] : [])));
    for (const [account, count] of accounts) {
      const byAccount = await loginPerAccount.consume(account, count);
      if (byAccount) return byAccount;
    }
    return undefined;
  }

  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as RequestContext;
      const attempts = credentialAttempts(
        args.document,
        args.operationName,
        (args.variableValues ?? {}) as Record<string, unknown>,
      );
      const refusal = await consume(context, attempts);
      if (refusal) {
        setResultAndStopExecution({ errors: [rateLimitedError(refusal)] });
        return undefined;
      }
      const refundable = attempts.filter(
        ({ field, account }) => account !== undefined || REFUNDED_ON_SUCCESS.has(field),
      );
      if (refundable.length === 0) return undefined;
      const address = clientAddress(context, settings.trustedProxyHops);
      return {
        // Only failures count against an account: an attempt that succeeded gives its point
        // back (it was taken first, so that parallel guesses cannot pass the budget). A login
        // that answered MFA_REQUIRED had the right password: its failures, if any, are the
        // codes sent to completeMfaLogin, which the security subgraph counts for the account.
        async onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return;
          const askedForSecondFactor = (responseKey: string) =>
            (result.errors ?? []).some(
              (error) =>
                error.path?.[0] === responseKey && error.extensions?.['code'] === MFA_REQUIRED,
            );
          const passed = refundable.filter(
            ({ field, responseKey }) =>
              Boolean(result.data?.[responseKey]) ||
              (field === 'login' && askedForSecondFactor(responseKey)),
          );
          const byAccount = passed.flatMap(({ account }) => (account ? [account] : []));
          for (const [account, count] of countBy(byAccount)) {
            await loginPerAccount.refund(account, count);
          }
          const byAddress = passed.filter(({ field }) => REFUNDED_ON_SUCCESS.has(field)).length;
          if (byAddress > 0) await loginPerIp.refund(address, byAddress);
        },
      };
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      const refusal = await perIdentity.consume(identityKey(args.contextValue as RequestContext));
      if (refusal) setResultAndStopExecution({ errors: [rateLimitedError(refusal)] });
    },
  };
}
