// Persisted operations at the router: automatic persisted queries (APQ: a client sends a
// document's sha256 and the document only when the router does not know it yet), and trusted
// documents (a manifest of the operations a team's client code contains, built by
// `npm run trusted-documents`). In trusted-only mode the router runs nothing else, so an
// attacker cannot send an operation the clients do not.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { SubscribePayload } from 'graphql-ws';
import { useAPQ } from '@graphql-yoga/plugin-apq';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { codedError, type Logger } from '@supergraph/kit';

export interface PersistedOperationSettings {
  /** Automatic persisted queries (not in trusted-only mode). */
  apq: boolean;
  /** The manifest of trusted documents; undefined: none. */
  trustedDocumentsPath: string | undefined;
  /** Refuse every operation that is not in the manifest. */
  trustedDocumentsOnly: boolean;
}

/** Documents registered through APQ that one router process keeps (least recently used go),
 * bounded in count and in characters: anyone may register documents. */
const APQ_STORE_MAX = 1_000;
const APQ_STORE_MAX_CHARACTERS = 16 * 1024 * 1024;
const APQ_STORE_TTL_MS = 24 * 60 * 60_000;

/** The sha256 (hex) of a document's text: the id APQ and the manifest use. */
export const documentId = (document: string) =>
  createHash('sha256').update(document, 'utf8').digest('hex');

interface ApolloManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; body: string }[];
}

/**
 * Reads a manifest: `{ "<id>": "<document>" }` (as GraphQL Code Generator's client preset and
 * `npm run trusted-documents` write it) or Apollo's persisted query manifest. Every document
 * must parse; a broken file is refused whole, with what is wrong.
 */
export function readTrustedDocuments(path: string): Map<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`The trusted documents ${path} could not be read: ${(error as Error).message}`);
  }
  const entries =
    (json as ApolloManifest)?.format === 'apollo-persisted-query-manifest'
      ? (json as ApolloManifest).operations.map(({ id, body }) => [id, body] as const)
      : Object.entries((json ?? {}) as Record<string, unknown>);
  const documents = new Map<string, string>();
  for (const [id, document] of entries) {
    if (typeof document !== 'string') {
      throw new Error(`The trusted documents ${path}: the entry ${id} is not a document.`);
    }
    try {
      parse(document);
    } catch (error) {
      throw new Error(
        `The trusted documents ${path}: ${id} does not parse: ${(error as Error).message}`,
      );
    }
    documents.set(id, document);
  }
  return documents;
}

export function createPersistedOperations(settings: PersistedOperationSettings, logger: Logger) {
  const { trustedDocumentsPath: path } = settings;
  if (settings.trustedDocumentsOnly && !path) {
    throw new Error('TRUSTED_DOCUMENTS_ONLY needs TRUSTED_DOCUMENTS_PATH, the manifest to accept.');
  }
  let trusted = path ? readTrustedDocuments(path) : new Map<string, string>();
  if (path) logger.info({ path, documents: trusted.size }, 'trusted documents loaded');

  const plugins = (): Plugin[] => {
    if (settings.trustedDocumentsOnly) {
      return [
        usePersistedOperations({
          getPersistedOperation: (id) => trusted.get(id) ?? null,
          allowArbitraryOperations: false,
          customErrors: {
            notFound: () =>
              codedError('PERSISTED_QUERY_NOT_FOUND', 'No trusted document has this id.', {
                extensions: { http: { status: 404 } },
              }),
            persistedQueryOnly: () => onlyTrusted(),
            keyNotFound: () => onlyTrusted(),
          },
        }),
      ];
    }
    if (!settings.apq) {
      if (!path) return [];
      return [
        usePersistedOperations({
          getPersistedOperation: (id) => trusted.get(id) ?? null,
          allowArbitraryOperations: true,
        }),
      ];
    }
    // One store answers APQ's lookups: the manifest first, then what clients registered.
    const registered = new LRUCache<string, string>({
      max: APQ_STORE_MAX,
      maxSize: APQ_STORE_MAX_CHARACTERS,
      sizeCalculation: (document) => Math.max(1, document.length),
      ttl: APQ_STORE_TTL_MS,
    });
    return [
      useAPQ({
        store: {
          get: (id) => trusted.get(id) ?? registered.get(id),
          set: (id, document) => void registered.set(id, document),
        },
      }),
    ];
  };

  const installed = plugins();

  /** The same plugins applied to a graphql-ws subscribe message, which does not pass through
   * yoga's HTTP request pipeline: one mechanism for both transports. */
  const resolveParams = async (params: SubscribePayload): Promise<SubscribePayload> => {
    let current = params as GraphQLParams;
    for (const plugin of installed) {
      await plugin.onParams?.({
        params: current,
        setParams: (next: GraphQLParams) => {
          current = next;
        },
        request: new Request('http://websocket.invalid/graphql', { method: 'POST' }),
        context: {},
        fetchAPI: globalThis,
      } as unknown as Parameters<NonNullable<Plugin['onParams']>>[0]);
    }
    return { ...current, query: current.query ?? '' } as SubscribePayload;
  };

  return {
    plugins: installed,
    resolveParams,
    get size() {
      return trusted.size;
    },
    /** Reads the manifest again; on failure keeps the one in use and says why. */
    reload() {
      if (!path) return;
      try {
        trusted = readTrustedDocuments(path);
        logger.info({ path, documents: trusted.size }, 'trusted documents reloaded');
      } catch (error) {
        logger.error({ err: error }, 'the trusted documents were not reloaded; the old ones stay');
        throw error;
      }
    },
  };
}

function onlyTrusted() {
  return codedError(
    'PERSISTED_QUERY_REQUIRED',
    'This router runs trusted documents only: send extensions.persistedQuery { version: 1, sha256Hash } of a document in its manifest, without the document.',
    { extensions: { http: { status: 400 } } },
  );
}
