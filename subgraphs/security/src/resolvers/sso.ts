// Single sign-on with OpenID Connect: administrators configure identity providers; anyone
// starts a sign-in (authorization URL with PKCE, state and nonce kept here for 10 minutes,
// used once) and finishes it with the provider's callback URL, which signs them in.
import { codedError, parseInput, requireScope } from '@supergraph/kit';
import { z } from 'zod';
import type { SecurityContext } from '../context.js';
import {
  deleteIdentityProvider,
  findIdentityProvider,
  insertIdentityProvider,
  insertPendingLogin,
  listIdentityProviders,
  takePendingLogin,
  updateIdentityProvider,
} from '../db/sso.js';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types.js';
import { userForClaims } from '../sso/accounts.js';
import { issuerRefusal } from '../sso/oidc.js';
import { recordSecurityEvent } from '../security-events.js';
import { signIn } from './mutation.js';

const ADMIN_SCOPE = 'security:admin';

/** Records an administrator's change to an identity provider. */
const providerChanged = (context: SecurityContext, provider: string, change: string) =>
  recordSecurityEvent(context, {
    type: 'sso.provider-changed',
    actorId: context.identity?.userId ?? null,
    details: { provider, change },
  });
const DEFAULT_SCOPES = ['openid', 'email', 'profile'];
const MAX_SCOPES = 20;

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1 to 63 lowercase letters, digits or dashes');
const scopes = z
  .array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/, 'must be scope tokens'))
  .max(MAX_SCOPES, `must be at most ${MAX_SCOPES}`)
  .transform((list) => [...new Set(['openid', ...list])]);
const settings = {
  name: z.string().trim().min(1, 'must not be blank').max(100, 'must be at most 100 characters'),
  issuer: z.string().trim().max(2_000, 'must be at most 2000 characters'),
  clientId: z.string().min(1, 'must not be empty').max(255, 'must be at most 255 characters'),
  clientSecret: z
    .string()
    .min(1, 'must not be empty')
    .max(1_000, 'must be at most 1000 characters'),
};
const createInput = z.object({
  slug,
  ...settings,
  scopes: scopes.nullish().transform((list) => list ?? DEFAULT_SCOPES),
  enabled: z.boolean().nullish(),
});
const updateInput = z.object({
  name: settings.name.nullish(),
  issuer: settings.issuer.nullish(),
  clientId: settings.clientId.nullish(),
  clientSecret: settings.clientSecret.nullish(),
  scopes: scopes.nullish(),
  enabled: z.boolean().nullish(),
});

const ssoSettings = (context: SecurityContext) => context.sso.settings;

function checkIssuer(context: SecurityContext, issuer: string | null | undefined): void {
  if (issuer === null || issuer === undefined) return;
  const refusal = issuerRefusal(issuer, ssoSettings(context));
  if (refusal) {
    throw codedError('BAD_USER_INPUT', `input.issuer ${refusal}.`, {
      extensions: { field: 'input.issuer' },
    });
  }
}

const noSuchProvider = (slugValue: string, field: string) =>
  codedError('NOT_FOUND', `There is no identity provider "${slugValue}".`, {
    extensions: { field },
  });

/** The provider a sign-in names, refused alike when it does not exist or is disabled. */
async function enabledProvider(context: SecurityContext, slugValue: string) {
  const provider = await findIdentityProvider(context.db, slugValue);
  if (!provider?.enabled) {
    throw codedError('NOT_FOUND', `There is no enabled identity provider "${slugValue}".`, {
      extensions: { field: 'provider' },
    });
  }
  return provider;
}

/** Without undefined or null values: what an update leaves out stays as it is. */
const defined = <T extends Record<string, unknown>>(values: T) =>
  Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined && value !== null),
  ) as { [K in keyof T]?: NonNullable<T[K]> };

export const ssoQuery: Pick<QueryResolvers, 'identityProviders' | 'identityProviderSettings'> = {
  identityProviders: (_parent, _args, { db }) => listIdentityProviders(db, { enabledOnly: true }),
  identityProviderSettings: (_parent, _args, context) => {
    requireScope(context, ADMIN_SCOPE);
    return listIdentityProviders(context.db, { enabledOnly: false });
  },
};

export const ssoMutation: Pick<
  MutationResolvers,
  | 'createIdentityProvider'
  | 'updateIdentityProvider'
  | 'deleteIdentityProvider'
  | 'startSsoLogin'
  | 'finishSsoLogin'
> = {
  async createIdentityProvider(_parent, { input }, context) {
    requireScope(context, ADMIN_SCOPE);
    const values = parseInput(createInput, input);
    checkIssuer(context, values.issuer);
    const created = await insertIdentityProvider(context.db, {
      ...values,
      enabled: values.enabled ?? true,
    });
    if (!created) {
      throw codedError('CONFLICT', `An identity provider "${values.slug}" exists already.`, {
        extensions: { field: 'input.slug' },
      });
    }
    await providerChanged(context, created.slug, 'created');
    return created;
  },

  async updateIdentityProvider(_parent, { slug: slugValue, input }, context) {
    requireScope(context, ADMIN_SCOPE);
    const changes = defined(parseInput(updateInput, input));
    checkIssuer(context, changes.issuer);
    const updated = await updateIdentityProvider(context.db, slugValue, changes);
    if (!updated) throw noSuchProvider(slugValue, 'slug');
    await providerChanged(context, updated.slug, 'updated');
    return updated;
  },

  async deleteIdentityProvider(_parent, { slug: slugValue }, context) {
    requireScope(context, ADMIN_SCOPE);
    const deleted = await deleteIdentityProvider(context.db, slugValue);
    if (!deleted) throw noSuchProvider(slugValue, 'slug');
    await providerChanged(context, deleted.slug, 'deleted');
    return deleted;
  },

  async startSsoLogin(_parent, { provider: slugValue, redirectUri }, context) {
    const { settings: sso, relyingParty } = context.sso;
    const provider = await enabledProvider(context, slugValue);
    const redirect = URL.canParse(redirectUri) ? new URL(redirectUri).href : undefined;
    if (!redirect || !sso.redirectUris.includes(redirect)) {
      throw codedError(
        'BAD_USER_INPUT',
        'redirectUri is not one of the allowed redirect URIs (SSO_REDIRECT_URIS).',
        { extensions: { field: 'redirectUri' } },
      );
    }
    const started = await relyingParty.start(provider, redirect);
    const expiresAt = new Date(Date.now() + sso.loginTtlSeconds * 1000);
    await insertPendingLogin(context.db, started.state, {
      providerId: provider.id,
      codeVerifier: started.codeVerifier,
      nonce: started.nonce,
      redirectUri: redirect,
      expiresAt,
    });
    return { authorizationUrl: started.authorizationUrl.href, state: started.state, expiresAt };
  },

  async finishSsoLogin(_parent, { provider: slugValue, callbackUrl, state }, context) {
    const callback = URL.canParse(callbackUrl) ? new URL(callbackUrl) : undefined;
    const callbackState = callback?.searchParams.get('state');
    if (!callback || !callbackState) {
      throw codedError(
        'BAD_USER_INPUT',
        'callbackUrl must be the URL the identity provider sent the browser to, with its state.',
        { extensions: { field: 'callbackUrl' } },
      );
    }
    const provider = await enabledProvider(context, slugValue);
    // The sign-in this browser started, when it says which; openid-client then refuses a
    // callback that carries another state.
    const expectedState = state ?? callbackState;
    const login = await takePendingLogin(context.db, expectedState);
    if (!login || login.expiresAt.getTime() <= Date.now()) {
      throw codedError(
        'UNAUTHENTICATED',
        'This sign-in is unknown, expired or already finished. Start it again.',
      );
    }
    if (login.providerId !== provider.id) {
      throw codedError(
        'UNAUTHENTICATED',
        'This sign-in was started with another identity provider. Start it again.',
      );
    }
    const claims = await context.sso.relyingParty.finish(provider, callback.searchParams, {
      redirectUri: login.redirectUri,
      codeVerifier: login.codeVerifier,
      nonce: login.nonce,
      expectedState,
    });
    const user = await userForClaims(context, provider, claims);
    return signIn(context, user, 'sso');
  },
};
