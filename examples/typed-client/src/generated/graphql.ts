/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date and time in UTC, e.g. 2026-11-22T05:00:00.000Z. */
  DateTime: { input: string; output: string; }
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
};

/** Yjs updates from a client, for `applyDocumentUpdates`. */
export type ApplyDocumentUpdatesInput = {
  /** The sending client's id (its Yjs clientID), echoed in documentUpdates so it can skip its own. */
  clientId: Scalars['String']['input'];
  /** The document. */
  documentId: Scalars['ID']['input'];
  /** 1 to 100 Yjs updates (v1, base64), each at most MAX_UPDATE_BYTES (256 KiB by default) decoded. */
  updates: Array<Scalars['String']['input']>;
};

/** A signed access token (JWT) and the user it was issued to. */
export type AuthPayload = {
  __typename?: 'AuthPayload';
  /** When the token stops being accepted (15 minutes after issue by default); log in again before then. */
  expiresAt: Scalars['DateTime']['output'];
  /** Exchange it with `refreshSession` for a new access token and a new refresh token, before `refreshTokenExpiresAt`. Each refresh token works once: using one twice ends its session (it was stolen, or copied). Keep it out of reach of scripts (e.g. in memory or an HttpOnly cookie set by your backend). */
  refreshToken: Scalars['String']['output'];
  /** When the refresh token stops being accepted. */
  refreshTokenExpiresAt: Scalars['DateTime']['output'];
  /** The scopes the token carries, from the user's roles. */
  scopes: Array<Scalars['String']['output']>;
  /** The session this sign-in started or continues. */
  session: Session;
  /** What failed against this account since its owner last signed in (wrong passwords or codes, locks), to show them once (e.g. "3 failed sign-in attempts since your last visit"); null when nothing did, and after a sign-up or refresh. Signing in starts the count afresh. */
  signInNotice?: Maybe<SignInNotice>;
  /** Send as `Authorization: Bearer <token>`. */
  token: Scalars['String']['output'];
  /** Always `Bearer`: the scheme to put before the token in the Authorization header. */
  tokenType: Scalars['String']['output'];
  /** The user the token was issued to. */
  user: User;
};

/** The state of a provider's circuit breaker. */
export type BreakerState =
  /** Calls go through. */
  | 'CLOSED'
  /** After the reset timeout: a trial call decides whether to close or open again. */
  | 'HALF_OPEN'
  /** Too many calls failed: the provider is not selected, and calls are refused at once, until the reset timeout passes. */
  | 'OPEN';

/** A user's monthly spending limit and spending, in US dollars; months are calendar months in UTC. */
export type Budget = {
  __typename?: 'Budget';
  /** The most the user may spend a month; null without a limit. */
  monthlyLimit?: Maybe<Scalars['Float']['output']>;
  /** null without a limit. */
  remaining?: Maybe<Scalars['Float']['output']>;
  /** Spent since the start of this month. */
  spentThisMonth: Scalars['Float']['output'];
};

/** One message of a conversation. */
export type ChatMessageInput = {
  /** The text, at most 1,000,000 characters. */
  content: Scalars['String']['input'];
  /** Who speaks it. */
  role: ChatRole;
};

/** Who speaks a chat message. */
export type ChatRole =
  /** The model's earlier answers. */
  | 'ASSISTANT'
  /** Instructions to the model. */
  | 'SYSTEM'
  /** The person asking. */
  | 'USER';

/** A finished completion. */
export type Completion = {
  __typename?: 'Completion';
  /** US dollars. */
  cost: Scalars['Float']['output'];
  /** The models tried and failed before this one, in order. */
  fallbacksTried: Array<FallbackAttempt>;
  /** Why it ended. */
  finishReason: FinishReason;
  /** The completion's id. */
  id: Scalars['ID']['output'];
  /** From the request to the provider until its answer ended, in milliseconds. */
  latencyMs: Scalars['Int']['output'];
  /** The model that answered. */
  model: Model;
  /** The provider that served it. */
  provider: Provider;
  /** The model's answer. */
  text: Scalars['String']['output'];
  /** Tokens used. */
  usage: TokenUsage;
};

/** A piece of a streamed completion: deltas in order, then one final event with usage and cost. */
export type CompletionChunk = {
  __typename?: 'CompletionChunk';
  /** The same for every chunk of one completion. */
  completionId: Scalars['ID']['output'];
  /** US dollars; on the final event only. */
  cost?: Maybe<Scalars['Float']['output']>;
  /** The text added by this chunk; empty on the final event. */
  delta: Scalars['String']['output'];
  /** True on the final event only. */
  done: Scalars['Boolean']['output'];
  /** The models tried and failed first; on the final event only. */
  fallbacksTried?: Maybe<Array<FallbackAttempt>>;
  /** On the final event only. */
  finishReason?: Maybe<FinishReason>;
  /** 0, 1, 2... in order. */
  index: Scalars['Int']['output'];
  /** In milliseconds; on the final event only. */
  latencyMs?: Maybe<Scalars['Int']['output']>;
  /** The model that answered; on the final event only. */
  model?: Maybe<Model>;
  /** The provider that served it; on the final event only. */
  provider?: Maybe<Provider>;
  /** On the final event only. */
  usage?: Maybe<TokenUsage>;
};

/** A completion attempt that ended: what it used and cost. */
export type CompletionEvent = {
  __typename?: 'CompletionEvent';
  /** US dollars. */
  cost: Scalars['Float']['output'];
  /** When the completion ended. */
  endedAt: Scalars['DateTime']['output'];
  /** In milliseconds. */
  latencyMs: Scalars['Int']['output'];
  /** The model that answered; null if none did. */
  model?: Maybe<Model>;
  /** The provider that served it; null if none did. */
  provider?: Maybe<Provider>;
  /** How it ended. */
  status: CompletionStatus;
  /** Whether it was a completionStream rather than a complete. */
  streamed: Scalars['Boolean']['output'];
  /** Tokens used. */
  usage: TokenUsage;
  /** Who requested the completion; resolved by the security subgraph (null if it is down). */
  user?: Maybe<User>;
};

/** A completion request, for `complete` and `completionStream`. */
export type CompletionInput = {
  /** With modelId: the models to fail over to, in order. */
  fallbackModelIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** 1 to 100,000; default 1,024. */
  maxTokens?: InputMaybe<Scalars['Int']['input']>;
  /** 1 to 500 messages, with at least one non-blank USER message. */
  messages: Array<ChatMessageInput>;
  /** A model to use; without it one is selected by requirements and strategy. */
  modelId?: InputMaybe<Scalars['ID']['input']>;
  /** Without modelId: what the selected model must offer. */
  requirements?: InputMaybe<ModelRequirements>;
  /** Without modelId: how the model is selected among the eligible ones. */
  strategy?: InputMaybe<SelectionStrategy>;
  /** 0 to 2. */
  temperature?: InputMaybe<Scalars['Float']['input']>;
};

/** How a completion attempt ended. */
export type CompletionStatus =
  /** The caller went away or unsubscribed first. */
  | 'CANCELLED'
  /** It failed. */
  | 'ERROR'
  /** It answered. */
  | 'OK';

/** What to compress, for `compressContext`: give exactly one of messages and memoryIds. */
export type CompressContextInput = {
  /** Memories to compress, in this order (oldest first). At most 1,000, each one of the caller's. */
  memoryIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Texts to compress, oldest first; give these or memoryIds. At most 1,000. */
  messages?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The most tokens the result may hold, 1 to 1,000,000. */
  tokenBudget: Scalars['Int']['input'];
};

/** A compressed text within a token budget, with what was kept and dropped. */
export type CompressedContext = {
  __typename?: 'CompressedContext';
  /** The sentences left out to fit the budget. */
  dropped: Array<ContextSentence>;
  /** The sentences kept, in their original order. */
  kept: Array<ContextSentence>;
  /** Approximate tokens of the input before compression. */
  originalTokenCount: Scalars['Int']['output'];
  /** tokenCount / originalTokenCount: 1 when everything fits. */
  ratio: Scalars['Float']['output'];
  /** The kept sentences, in their original order. */
  text: Scalars['String']['output'];
  /** The budget asked for. */
  tokenBudget: Scalars['Int']['output'];
  /** Approximate tokens (about 4 characters each). */
  tokenCount: Scalars['Int']['output'];
};

/** One sentence of the input of a compression. */
export type ContextSentence = {
  __typename?: 'ContextSentence';
  /** The memory it came from, when memories were compressed. */
  memory?: Maybe<Memory>;
  /** The index of the message it came from, when messages were compressed. */
  messageIndex?: Maybe<Scalars['Int']['output']>;
  /** How well it represents the whole input; higher is kept first. */
  score: Scalars['Float']['output'];
  /** The sentence's text. */
  text: Scalars['String']['output'];
  /** Its approximate tokens. */
  tokens: Scalars['Int']['output'];
};

/** A new document, for `createDocument`. */
export type CreateDocumentInput = {
  /** UTF-8 text, at most MAX_DOCUMENT_BYTES (512 KiB by default); no NUL characters. */
  content: Scalars['String']['input'];
  /** 1 to 200 characters. */
  title: Scalars['String']['input'];
};

/** A new fold, for `createFold`. */
export type CreateFoldInput = {
  /** 1 to 1,000,000; default 10,000. */
  capacity?: InputMaybe<Scalars['Int']['input']>;
  /** 1 to 200 characters. */
  name: Scalars['String']['input'];
  /** What a full fold does with one more memory. */
  policy?: InputMaybe<FoldPolicy>;
};

/** A new identity provider's settings, for `createIdentityProvider`. */
export type CreateIdentityProviderInput = {
  /** The client id registered at the provider, at most 255 characters. */
  clientId: Scalars['String']['input'];
  /** The client secret registered at the provider, at most 1000 characters; write-only: it is never returned. */
  clientSecret: Scalars['String']['input'];
  /** Whether people may sign in with it. Default: true. */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** The OpenID Connect issuer URL: https (plain http only on loopback, or with SSO_ALLOW_HTTP_ISSUERS=true). */
  issuer: Scalars['String']['input'];
  /** The name to show on its sign-in button, 1 to 100 characters. */
  name: Scalars['String']['input'];
  /** The scopes to ask for, at most 20; `openid` is added when missing. Default: openid, email, profile. */
  scopes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** What sign-ins name it by: lowercase letters, digits and dashes, 1 to 63 characters, starting with a letter or digit; unique. */
  slug: Scalars['String']['input'];
};

/** A new memory, for `createMemory` and `createMemories`. */
export type CreateMemoryInput = {
  /** Not blank; at most the configured maximum length. */
  content: Scalars['String']['input'];
  /** Return an existing memory of the fold within the deduplication distance instead of creating one. Default: the server's setting. */
  deduplicate?: InputMaybe<Scalars['Boolean']['input']>;
  /** A vector of the embedder's dimension instead of the server's embedding. */
  embedding?: InputMaybe<Array<Scalars['Float']['input']>>;
  /** A time in the future after which the memory is purged; none by default. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** The fold to put it in (one of the caller's); none by default. */
  foldId?: InputMaybe<Scalars['ID']['input']>;
  /** A JSON object; default {}. */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** A memory of the same fold (or none, if this one has no fold). */
  parentId?: InputMaybe<Scalars['ID']['input']>;
};

/** A new model, for `createModel`. */
export type CreateModelInput = {
  /** What it can do. */
  capabilities: Array<ModelCapability>;
  /** 1 or more. */
  contextWindow: Scalars['Int']['input'];
  /** 0 or more. */
  inputPricePerMillion: Scalars['Float']['input'];
  /** 1 to 200 characters; unique within the provider. */
  name: Scalars['String']['input'];
  /** 0 or more. */
  outputPricePerMillion: Scalars['Float']['input'];
  /** The provider that serves it. */
  providerId: Scalars['ID']['input'];
};

/** A new provider, for `createProvider`. */
export type CreateProviderInput = {
  /** Stored, never returned; at most 4,096 characters. */
  apiKey?: InputMaybe<Scalars['String']['input']>;
  /** An http or https URL. */
  baseUrl?: InputMaybe<Scalars['String']['input']>;
  /** Whether it may be selected; default true. */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** The wire protocol it speaks. */
  kind: ProviderKind;
  /** 1 to 100 characters; unique across providers. */
  name: Scalars['String']['input'];
  /** 1 or more; omit for no limit. */
  rateLimitPerMinute?: InputMaybe<Scalars['Int']['input']>;
  /** 0 or more. */
  weight?: InputMaybe<Scalars['Int']['input']>;
};

/** A new visualization, for `createVisualization`. */
export type CreateVisualizationInput = {
  /** What it draws. */
  kind: VisualizationKind;
  /** A JSON object. */
  spec: Scalars['JSON']['input'];
  /** 1 to 200 characters. */
  title: Scalars['String']['input'];
};

/** How the distance between two embeddings is measured. */
export type DistanceMetric =
  /** Cosine distance, 0 (same direction) to 2 (opposite); the default, and indexed by default. */
  | 'COSINE'
  /** The negated inner product (pgvector's <#>): lower is closer. */
  | 'INNER_PRODUCT'
  /** Euclidean (L2) distance, 0 or more. */
  | 'L2';

/**
 * A collaborative document: a Yjs document whose text lives in the root Y.Text named "content".
 * Clients edit it with binary Yjs updates (documentSync, applyDocumentUpdates, documentUpdates);
 * the server keeps every update, numbered, and derives the plain text. Visible to its owner and
 * to the users it is shared with.
 */
export type Document = {
  __typename?: 'Document';
  /** The document's plain text (the Y.Text "content"), derived from its updates; at most MAX_DOCUMENT_BYTES of UTF-8. */
  content: Scalars['String']['output'];
  /** When the document was created. */
  createdAt: Scalars['DateTime']['output'];
  /** The document's unique id (a UUID). */
  id: Scalars['ID']['output'];
  /** Null when the security subgraph cannot be reached. */
  owner?: Maybe<User>;
  /** What the caller may do: OWNER, EDITOR or VIEWER. */
  role: DocumentRole;
  /** The sequence number of the document's latest update; 0 for a document that has none. */
  seq: Scalars['Int']['output'];
  /** Who else may open it; empty unless the caller is the owner. */
  shares: Array<DocumentShare>;
  /** 1 to 200 characters. */
  title: Scalars['String']['output'];
  /** When the document was last changed. */
  updatedAt: Scalars['DateTime']['output'];
  /** Grows by one with every change (an update applied, a title changed); send it back as expectedVersion. */
  version: Scalars['Int']['output'];
  /** Saved versions (named ones and automatic snapshots), newest first. */
  versions: Array<DocumentVersion>;
};


/**
 * A collaborative document: a Yjs document whose text lives in the root Y.Text named "content".
 * Clients edit it with binary Yjs updates (documentSync, applyDocumentUpdates, documentUpdates);
 * the server keeps every update, numbered, and derives the plain text. Visible to its owner and
 * to the users it is shared with.
 */
export type DocumentVersionsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A client's presence in a document, for `setDocumentPresence`. */
export type DocumentPresenceInput = {
  /** The client (its Yjs clientID, as a string). */
  clientId: Scalars['String']['input'];
  /** The document. */
  documentId: Scalars['ID']['input'];
  /** A JSON object of at most 4 KiB, e.g. { user: { name, color }, cursor: { anchor, head } }; null leaves. */
  state?: InputMaybe<Scalars['JSON']['input']>;
};

/** What a user may do with a document or a visualization. */
export type DocumentRole =
  /** Reads and edits. */
  | 'EDITOR'
  /** Created it: reads, edits, shares and restores versions. */
  | 'OWNER'
  /** Reads, syncs and sees presence; its updates are refused with FORBIDDEN. */
  | 'VIEWER';

/** A user a document or visualization is shared with. */
export type DocumentShare = {
  __typename?: 'DocumentShare';
  /** When it was shared (or the role last changed). */
  createdAt: Scalars['DateTime']['output'];
  /** EDITOR or VIEWER. */
  role: DocumentRole;
  /** The user it is shared with; resolved by the security subgraph. */
  user?: Maybe<User>;
};

/** What a client lacks of a document, for initial sync and catch-up (documentSync). */
export type DocumentSync = {
  __typename?: 'DocumentSync';
  /** The document. */
  documentId: Scalars['ID']['output'];
  /** The sequence number the update reaches: subscribe to documentUpdates with after: seq. */
  seq: Scalars['Int']['output'];
  /** The server's state vector (base64) after seq: send the client's own updates that it lacks. */
  stateVector: Scalars['String']['output'];
  /** A Yjs update (v1, base64) holding everything the client's state vector lacks. */
  update: Scalars['String']['output'];
};

/** The acknowledgement of applyDocumentUpdates: the updates are stored. */
export type DocumentUpdateAck = {
  __typename?: 'DocumentUpdateAck';
  /** The document. */
  documentId: Scalars['ID']['output'];
  /** The sequence number the updates were stored under (one for all of one call). */
  seq: Scalars['Int']['output'];
};

/** One stored update of a document, as documentUpdates streams it. */
export type DocumentUpdateEvent = {
  __typename?: 'DocumentUpdateEvent';
  /** Who made it. */
  author?: Maybe<User>;
  /** The client that sent it (skip your own echo); null for a server-side edit. */
  clientId?: Maybe<Scalars['String']['output']>;
  /** When it was stored. */
  createdAt: Scalars['DateTime']['output'];
  /** The document. */
  documentId: Scalars['ID']['output'];
  /** Its sequence number: 1, 2, 3... per document, without gaps. */
  seq: Scalars['Int']['output'];
  /** The Yjs update (v1, base64). */
  update: Scalars['String']['output'];
};

/** A saved state of a document: an automatic snapshot or a version someone named. */
export type DocumentVersion = {
  __typename?: 'DocumentVersion';
  /** Who named it; for an automatic snapshot, the author of the latest update it holds. */
  author?: Maybe<User>;
  /** The document's plain text at this version. */
  content: Scalars['String']['output'];
  /** When it was taken. */
  createdAt: Scalars['DateTime']['output'];
  /** The version's unique id (a UUID). */
  id: Scalars['ID']['output'];
  /** The name given by createDocumentVersion; null for an automatic snapshot. */
  name?: Maybe<Scalars['String']['output']>;
  /** The document's sequence number it was taken at. */
  seq: Scalars['Int']['output'];
};

/** A server-side edit of a document's text, for `editDocumentText`: delete, then insert, at one position. */
export type EditDocumentTextInput = {
  /** How many code units to delete from index; 0 by default. */
  delete?: InputMaybe<Scalars['Int']['input']>;
  /** The document. */
  documentId: Scalars['ID']['input'];
  /** Where, in UTF-16 code units of the current text (JavaScript string indexes), 0 to its length. */
  index: Scalars['Int']['input'];
  /** The text to insert at index (after the deletion); empty by default. */
  insert?: InputMaybe<Scalars['String']['input']>;
};

/** A run of a tool, for `executeTool`. */
export type ExecuteToolInput = {
  /** Checked against the tool's input schema. */
  arguments: Scalars['JSON']['input'];
  /** The same key from the same caller returns the same execution instead of running again (up to 200 characters). */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** The tool by id; or give toolName. */
  toolId?: InputMaybe<Scalars['ID']['input']>;
  /** The tool by name; or give toolId. */
  toolName?: InputMaybe<Scalars['String']['input']>;
  /** Wait up to this many milliseconds (at most 30,000) for the execution to finish before answering; 0 (default) answers at once with QUEUED. */
  waitMs?: InputMaybe<Scalars['Int']['input']>;
};

/** One run of a tool: a durable record, claimed by a worker of any tools replica. */
export type Execution = {
  __typename?: 'Execution';
  /** The arguments, as validated against the tool's input schema. */
  arguments: Scalars['JSON']['output'];
  /** Runs so far: more than 1 when an idempotent tool was retried after a worker died. */
  attempts: Scalars['Int']['output'];
  /** CPU milliseconds the sandbox used (JavaScript tools). */
  cpuMs?: Maybe<Scalars['Int']['output']>;
  /** When it was queued. */
  createdAt: Scalars['DateTime']['output'];
  /** Milliseconds from start to finish of the last run. */
  durationMs?: Maybe<Scalars['Int']['output']>;
  /** Why it failed, timed out or was cancelled; null otherwise. */
  error?: Maybe<ExecutionError>;
  /** When it ended; null until then. */
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The execution's unique id (a UUID). */
  id: Scalars['ID']['output'];
  /** The key given with executeTool, if any. */
  idempotencyKey?: Maybe<Scalars['String']['output']>;
  /** What the tool logged, oldest first (bounded). */
  logs: Array<ExecutionLog>;
  /** True when logs were dropped at the bound. */
  logsTruncated: Scalars['Boolean']['output'];
  /** Peak heap bytes the sandbox used (JavaScript tools). */
  memoryBytes?: Maybe<Scalars['Float']['output']>;
  /** The tool's output (structured when the tool has an output schema); null until it succeeds. */
  output?: Maybe<Scalars['JSON']['output']>;
  /** True when the output was cut at the output size limit (it is then a string of its start). */
  outputTruncated: Scalars['Boolean']['output'];
  /** The last progress the tool reported. */
  progress?: Maybe<ExecutionProgress>;
  /** Who asked for it. */
  requestedBy?: Maybe<User>;
  /** When its last run started; null while queued. */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Where the execution is in its life. */
  status: ExecutionStatus;
  /** The tool; null once it has been deleted. */
  tool?: Maybe<Tool>;
  /** The tool's name when the execution was created. */
  toolName: Scalars['String']['output'];
  /** The tool's version when the execution was created. */
  toolVersion: Scalars['String']['output'];
  /** The tools replica (host:pid:id) that runs or last ran it; null before it starts. */
  worker?: Maybe<Scalars['String']['output']>;
};

/** Why an execution failed. */
export type ExecutionError = {
  __typename?: 'ExecutionError';
  /** A stable reason: TOOL_ERROR, OUTPUT_INVALID, MEMORY_LIMIT, EGRESS_DENIED, HTTP_ERROR, UPSTREAM_UNAVAILABLE, LEASE_EXPIRED, TIMEOUT, CANCELLED. */
  code: Scalars['String']['output'];
  /** What happened, for people. */
  message: Scalars['String']['output'];
};

/** A change of a running execution, streamed by executionEvents. */
export type ExecutionEvent = {
  __typename?: 'ExecutionEvent';
  /** For STATUS: the execution as it now is (the first event is always a STATUS with the current state). */
  execution?: Maybe<Execution>;
  /** What changed. */
  kind: ExecutionEventKind;
  /** For LOG. */
  log?: Maybe<ExecutionLog>;
  /** For PROGRESS. */
  progress?: Maybe<ExecutionProgress>;
  /** The status after this event. */
  status: ExecutionStatus;
};

/** What kind of change an ExecutionEvent reports. */
export type ExecutionEventKind =
  /** The tool logged a line (log). */
  | 'LOG'
  /** The tool reported progress (progress). */
  | 'PROGRESS'
  /** The status changed; execution holds the new state. */
  | 'STATUS';

/** A line a tool wrote (console.* in JavaScript tools) or the runner logged. */
export type ExecutionLog = {
  __typename?: 'ExecutionLog';
  /** When it was written. */
  at: Scalars['DateTime']['output'];
  /** debug, info, log, warn or error. */
  level: Scalars['String']['output'];
  /** The text, at most 4 KiB. */
  message: Scalars['String']['output'];
};

/** How far a running tool says it is. */
export type ExecutionProgress = {
  __typename?: 'ExecutionProgress';
  /** What it is doing. */
  message?: Maybe<Scalars['String']['output']>;
  /** Progress so far, e.g. 3 (of total). */
  progress: Scalars['Float']['output'];
  /** The total, when the tool knows it. */
  total?: Maybe<Scalars['Float']['output']>;
};

/** Where an execution is in its life. */
export type ExecutionStatus =
  /** Stopped by cancelExecution. */
  | 'CANCELLED'
  /** Finished with an error (see error). */
  | 'FAILED'
  /** Waiting for a worker. */
  | 'QUEUED'
  /** A worker runs it. */
  | 'RUNNING'
  /** Finished with an output. */
  | 'SUCCEEDED'
  /** Stopped at the tool's time limit. */
  | 'TIMED_OUT';

/** A model that was tried and failed before the one that answered. */
export type FallbackAttempt = {
  __typename?: 'FallbackAttempt';
  /** The error code of the failure, from the error registry (e.g. UPSTREAM_UNAVAILABLE). */
  code: Scalars['String']['output'];
  /** What went wrong. */
  message: Scalars['String']['output'];
  /** The model tried; null if it has since been deleted. */
  model?: Maybe<Model>;
};

/** Why a completion ended. */
export type FinishReason =
  /** The caller went away or unsubscribed. */
  | 'CANCELLED'
  /** The provider's content filter stopped it. */
  | 'CONTENT_FILTER'
  /** It failed. */
  | 'ERROR'
  /** maxTokens or the context window was reached. */
  | 'LENGTH'
  /** The model finished its answer. */
  | 'STOP'
  /** The model asked to call tools. */
  | 'TOOL_CALLS';

/** A bounded collection of memories; visible only to its creator. */
export type Fold = {
  __typename?: 'Fold';
  /** The most memories the fold holds, 1 to 1,000,000. */
  capacity: Scalars['Int']['output'];
  /** When the fold was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Resolved by the security subgraph; null if it is unavailable. */
  createdBy?: Maybe<User>;
  /** The fold's unique id (a UUID). */
  id: Scalars['ID']['output'];
  /** Newest first. */
  memories: MemoryConnection;
  /** How many memories the fold holds now. */
  memoryCount: Scalars['Int']['output'];
  /** 1 to 200 characters. */
  name: Scalars['String']['output'];
  /** What happens when a memory is added to a full fold. */
  policy: FoldPolicy;
  /** One summary memory per level, lowest level first. */
  summaries: Array<Memory>;
  /** Clusters of the fold's memories by meaning, labelled by their most distinctive terms. */
  topics: Array<Topic>;
  /** When the fold's settings were last changed. */
  updatedAt: Scalars['DateTime']['output'];
};


/** A bounded collection of memories; visible only to its creator. */
export type FoldMemoriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A bounded collection of memories; visible only to its creator. */
export type FoldTopicsArgs = {
  k?: InputMaybe<Scalars['Int']['input']>;
};

/** What a full fold does with one more memory. */
export type FoldPolicy =
  /** Delete the memories least recently read to make room. */
  | 'EVICT_LEAST_RECENTLY_USED'
  /** Delete the oldest memories to make room. */
  | 'EVICT_OLDEST'
  /** Refuse it with CONFLICT. */
  | 'REJECT';

/** How a list of folds is sorted; default newest first. */
export type FoldSort = {
  /** Which way. */
  direction?: SortDirection;
  /** What to sort by. */
  field?: FoldSortField;
};

/** What folds are sorted by. */
export type FoldSortField =
  /** When the fold was created. */
  | 'CREATED_AT'
  /** The fold's name. */
  | 'NAME';

/** How a provider has been answering, over its recent calls. */
export type HealthState =
  /** Answering, but with some failures or slowly. */
  | 'DEGRADED'
  /** Answering well. */
  | 'HEALTHY'
  /** Failing too many calls: not selected until it recovers. */
  | 'UNHEALTHY'
  /** Not called yet since this service started. */
  | 'UNKNOWN';

/** How an HTTP tool calls its URL. */
export type HttpToolInput = {
  /** Extra request headers, as a JSON object of strings. */
  headers?: InputMaybe<Scalars['JSON']['input']>;
  /** POST (default), PUT or GET. */
  method?: InputMaybe<Scalars['String']['input']>;
  /** http or https, on a host of the egress allow-list (TOOLS_EGRESS_ALLOW). */
  url: Scalars['String']['input'];
};

/** An identity provider people may sign in with (single sign-on), as a login page lists it. */
export type IdentityProvider = {
  __typename?: 'IdentityProvider';
  /** The name to show on its sign-in button. */
  name: Scalars['String']['output'];
  /** What `startSsoLogin` and `finishSsoLogin` name it by, e.g. `google`. */
  slug: Scalars['String']['output'];
};

/** An identity provider's settings, as administrators see them; the client secret is never returned. */
export type IdentityProviderSettings = {
  __typename?: 'IdentityProviderSettings';
  /** The client id this service has at the provider. */
  clientId: Scalars['String']['output'];
  /** When it was configured. */
  createdAt: Scalars['DateTime']['output'];
  /** Whether people may sign in with it; a disabled provider is not listed and refuses sign-ins. */
  enabled: Scalars['Boolean']['output'];
  /** The provider's id (a UUID). */
  id: Scalars['ID']['output'];
  /** The OpenID Connect issuer URL; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  issuer: Scalars['String']['output'];
  /** The name to show on its sign-in button. */
  name: Scalars['String']['output'];
  /** The scopes asked for; `openid` is always among them. */
  scopes: Array<Scalars['String']['output']>;
  /** What sign-ins name it by: lowercase letters, digits and dashes, 1 to 63 characters; it does not change. */
  slug: Scalars['String']['output'];
  /** When its settings last changed. */
  updatedAt: Scalars['DateTime']['output'];
};

/** An account's credentials, for `login`. */
export type LoginInput = {
  /** The email address the account was created with; case does not matter. */
  email: Scalars['String']['input'];
  /** The account's password. */
  password: Scalars['String']['input'];
};

/** A remote MCP server (Streamable HTTP) whose tools are imported into the registry. */
export type McpServer = {
  __typename?: 'McpServer';
  /** The state of the breaker in front of the server on the replica that answers: CLOSED, OPEN or HALF_OPEN. */
  breakerState: Scalars['String']['output'];
  /** The server's unique id (a UUID). */
  id: Scalars['ID']['output'];
  /** Unique, like a tool name; prefixes the names of its imported tools. */
  name: Scalars['String']['output'];
  /** When its tools were last imported; null before the first import. */
  syncedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The registry's tools imported from this server. */
  tools: Array<Tool>;
  /** The server's Streamable HTTP endpoint. */
  url: Scalars['String']['output'];
};

/** Something an agent or a person stored to find again by meaning; visible only to its creator. */
export type Memory = {
  __typename?: 'Memory';
  /** From the root down to the parent. */
  ancestors: Array<Memory>;
  /** The memories directly below this one, oldest first. */
  children: Array<Memory>;
  /** The stored text, never blank; at most MEMORY_MAX_CONTENT_LENGTH characters (100,000 by default). */
  content: Scalars['String']['output'];
  /** When the memory was stored. */
  createdAt: Scalars['DateTime']['output'];
  /** Resolved by the security subgraph; null if it is unavailable. */
  createdBy?: Maybe<User>;
  /** 0 for a root; trees hold at most 64 levels. */
  depth: Scalars['Int']['output'];
  /** The embedder that made its vector (kind:model:dimensions), or 'client' for a vector sent by the client. */
  embeddingModel: Scalars['String']['output'];
  /** After this the memory is never returned, and it is purged; null keeps it until deleted. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** The fold that holds the memory; null if it is in none. */
  fold?: Maybe<Fold>;
  /** The memory's unique id (a UUID). */
  id: Scalars['ID']['output'];
  /** A JSON object of the caller's own keys. */
  metadata: Scalars['JSON']['output'];
  /** The memory above this one in its tree; null for a root. */
  parent?: Maybe<Memory>;
  /** Nearest memories by embedding (excluding this one), closest first. Scope memory:read. */
  similar: Array<MemorySearchHit>;
  /** The level this memory summarises in its fold; null for an ordinary memory. */
  summaryLevel?: Maybe<Scalars['Int']['output']>;
  /** The topics of its fold that this memory belongs to (empty outside a fold). */
  topics: Array<Topic>;
  /** When the memory was last changed. */
  updatedAt: Scalars['DateTime']['output'];
};


/** Something an agent or a person stored to find again by meaning; visible only to its creator. */
export type MemoryChildrenArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Something an agent or a person stored to find again by meaning; visible only to its creator. */
export type MemorySimilarArgs = {
  metric?: InputMaybe<DistanceMetric>;
  minScore?: InputMaybe<Scalars['Float']['input']>;
  topK?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of memories, with cursors to fetch the next page. */
export type MemoryConnection = {
  __typename?: 'MemoryConnection';
  /** The memories of the page, each with its cursor. */
  edges: Array<MemoryEdge>;
  /** The nodes of the edges, for clients that need no cursors. */
  nodes: Array<Memory>;
  /** Whether there is a next page, and the cursor to fetch it. */
  pageInfo: PageInfo;
};

/** A memory of a page and its cursor. */
export type MemoryEdge = {
  __typename?: 'MemoryEdge';
  /** Pass as `after` to fetch the memories after this one. */
  cursor: Scalars['String']['output'];
  /** The memory. */
  node: Memory;
};

/** A change to one of the caller's memories. */
export type MemoryEvent = {
  __typename?: 'MemoryEvent';
  /** The fold of the memory; null if it is in none. */
  foldId?: Maybe<Scalars['ID']['output']>;
  /** The memory as it is now; null once deleted. */
  memory?: Maybe<Memory>;
  /** The memory's id. */
  memoryId: Scalars['ID']['output'];
  /** What happened. */
  type: MemoryEventType;
};

/** What happened to a memory. */
export type MemoryEventType =
  /** The memory was stored. */
  | 'CREATED'
  /** The memory was deleted (or purged on expiry, or evicted from a full fold). */
  | 'DELETED'
  /** The memory was changed. */
  | 'UPDATED';

/** Which of the caller's memories to consider; the conditions given must all hold. */
export type MemoryFilter = {
  /** Only memories of this fold. */
  foldId?: InputMaybe<Scalars['ID']['input']>;
  /** Memories whose metadata contains this JSON object (PostgreSQL @>). */
  metadataContains?: InputMaybe<Scalars['JSON']['input']>;
  /** Memories whose metadata has each key equal to the value. */
  metadataEquals?: InputMaybe<Array<MetadataEquality>>;
};

/** A memory found by a search, with how close it is. */
export type MemorySearchHit = {
  __typename?: 'MemorySearchHit';
  /** The metric's distance: lower is closer. */
  distance: Scalars['Float']['output'];
  /** The memory found. */
  memory: Memory;
  /** Higher is closer: 1 - distance for cosine, 1 / (1 + distance) for L2, the inner product for INNER_PRODUCT. */
  score: Scalars['Float']['output'];
};

/** How a list of memories is sorted; default newest first. */
export type MemorySort = {
  /** Which way. */
  direction?: SortDirection;
  /** What to sort by. */
  field?: MemorySortField;
};

/** What memories are sorted by. */
export type MemorySortField =
  /** When the memory was stored. */
  | 'CREATED_AT'
  /** When the memory was last changed. */
  | 'UPDATED_AT';

/** One metadata key and the value it must have. */
export type MetadataEquality = {
  /** A top-level key of the metadata, 1 to 200 characters. */
  key: Scalars['String']['input'];
  /** The JSON value the key must have. */
  value: Scalars['JSON']['input'];
};

/** Two-factor sign-in turned on, with its recovery codes. */
export type MfaEnrollmentResult = {
  __typename?: 'MfaEnrollmentResult';
  /** Single-use codes that stand in for the authenticator (e.g. a lost phone). Shown only this once: ask the user to store them. Case, spaces and dashes do not matter when entered. */
  recoveryCodes: Array<Scalars['String']['output']>;
  /** The account's two-factor status after the change. */
  status: MfaStatus;
};

/** Whether the signed-in user's account asks for a second factor at login, and what is left of it. */
export type MfaStatus = {
  __typename?: 'MfaStatus';
  /** How many unused recovery codes the user has; 0 while two-factor sign-in is off. */
  recoveryCodesLeft: Scalars['Int']['output'];
  /** Whether login asks for a code from an authenticator app (TOTP) after the password. */
  totpEnabled: Scalars['Boolean']['output'];
  /** When the authenticator was confirmed; null while two-factor sign-in is off. */
  totpEnabledAt?: Maybe<Scalars['DateTime']['output']>;
  /** Whether an enrolment was started with `startTotpEnrollment` and awaits `confirmTotpEnrollment`. */
  totpPending: Scalars['Boolean']['output'];
};

/** A model served by a provider. Readable without a token. */
export type Model = {
  __typename?: 'Model';
  /** What it can do. */
  capabilities: Array<ModelCapability>;
  /** Tokens of prompt and completion together. */
  contextWindow: Scalars['Int']['output'];
  /** The model's unique id (a UUID). */
  id: Scalars['ID']['output'];
  /** US dollars per million input tokens. */
  inputPricePerMillion: Scalars['Float']['output'];
  /** The provider's own name for it, e.g. gpt-4o-mini; unique within its provider. */
  name: Scalars['String']['output'];
  /** US dollars per million output tokens. */
  outputPricePerMillion: Scalars['Float']['output'];
  /** The provider that serves it. */
  provider: Provider;
};

/** What a model can do. */
export type ModelCapability =
  /** Chat completions. */
  | 'CHAT'
  /** Text embeddings. */
  | 'EMBEDDINGS'
  /** Output constrained to JSON. */
  | 'JSON'
  /** Tool (function) calls. */
  | 'TOOLS'
  /** Images in the prompt. */
  | 'VISION';

/** What a model must offer to be eligible; every condition given must hold. */
export type ModelRequirements = {
  /** Default: CHAT. */
  capabilities?: InputMaybe<Array<ModelCapability>>;
  /** The highest price per million input tokens, in US dollars, 0 or more. */
  maxInputPricePerMillion?: InputMaybe<Scalars['Float']['input']>;
  /** The highest price per million output tokens, in US dollars, 0 or more. */
  maxOutputPricePerMillion?: InputMaybe<Scalars['Float']['input']>;
  /** The fewest tokens of context it may have, 0 or more. */
  minContextWindow?: InputMaybe<Scalars['Int']['input']>;
};

/** The entry points for changing data. */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Needs ui:write; the owner or an editor. Stores the client's Yjs updates under the next
   * sequence number, durably, before answering; then streams them to documentUpdates.
   * Errors: BAD_USER_INPUT (an update that is not base64 or not a Yjs update, too large, or a
   * text beyond MAX_DOCUMENT_BYTES; nothing is stored), NOT_FOUND, FORBIDDEN (a viewer).
   */
  applyDocumentUpdates: DocumentUpdateAck;
  /** Needs tools:execute (tools:admin for others' executions). Stops a queued or running execution at once; a finished one is returned as it is. */
  cancelExecution: Execution;
  /** A completion, with failover (scope provider:complete; checked against the caller's budget). Errors: BAD_USER_INPUT, NOT_FOUND (modelId), BUDGET_EXCEEDED, NO_ELIGIBLE_PROVIDER, UPSTREAM_UNAVAILABLE (every eligible model failed). */
  complete: Completion;
  /** Finishes a login that answered MFA_REQUIRED: the challenge from that error's `extensions.mfa` and a code from the authenticator app (or a recovery code, which then stops working), or a passkey of the account that signed the challenge (method PASSKEY, offered when the account has passkeys, with `extensions.mfa.passkeyOptions`), give the tokens `login` gives. Open to anyone holding a challenge. Errors: UNAUTHENTICATED (wrong or already used code, a passkey that did not verify, or a challenge that is unknown, expired or already used: then log in again), BAD_USER_INPUT (neither or both of code and passkeyResponse, a challenge or code far too long, or a passkeyResponse that is not a credential's JSON), RATE_LIMITED (too many wrong codes or passwords for this account; retry later). */
  completeMfaLogin: AuthPayload;
  /** Turns two-factor sign-in on with a first code from the pending authenticator, and answers the recovery codes. Errors: UNAUTHENTICATED (no token), BAD_USER_INPUT (not a 6-digit code, or not the authenticator's current code; field `code`), NOT_FOUND (no enrolment started), CONFLICT (already on), RATE_LIMITED (too many wrong codes or passwords for this account; retry later). */
  confirmTotpEnrollment: MfaEnrollmentResult;
  /** Needs ui:write. Creates a document owned by the caller, at version 1. Errors: BAD_USER_INPUT. */
  createDocument: Document;
  /** Needs ui:write; the owner or an editor. Saves the current state as a named version. Errors: BAD_USER_INPUT (name), NOT_FOUND, FORBIDDEN. */
  createDocumentVersion: DocumentVersion;
  /** Scope memory:write. Errors: BAD_USER_INPUT. */
  createFold: Fold;
  /** Configures an identity provider for single sign-on. Needs the scope security:admin. Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT (invalid slug, name, issuer, client id, secret or scopes), CONFLICT (the slug is taken). */
  createIdentityProvider: IdentityProviderSettings;
  /** All or none, in one transaction (scope memory:write). Errors as for createMemory, with the failing input's path in extensions.field. */
  createMemories: Array<Memory>;
  /** Scope memory:write. Errors: BAD_USER_INPUT, NOT_FOUND (foldId or parentId), CONFLICT (the fold is full and its policy is REJECT), UPSTREAM_UNAVAILABLE (the embedder cannot be reached). */
  createMemory: Memory;
  /** Needs the scope provider:admin. Errors: BAD_USER_INPUT, NOT_FOUND (providerId), CONFLICT (the provider has a model of this name). */
  createModel: Model;
  /** Needs the scope provider:admin. Errors: BAD_USER_INPUT, CONFLICT (the name is taken). */
  createProvider: Provider;
  /** Needs ui:write. Creates a visualization owned by the caller. Errors: BAD_USER_INPUT. */
  createVisualization: Visualization;
  /** Without deleteMemories its memories stay, outside any fold. Returns the id (scope memory:write). Errors: NOT_FOUND. */
  deleteFold: Scalars['ID']['output'];
  /** Removes an identity provider and its unfinished sign-ins, and answers it; users keep their links to its accounts, which count again if a provider with the same issuer is configured. Needs the scope security:admin. Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND. */
  deleteIdentityProvider: IdentityProviderSettings;
  /** Needs tools:admin. Removes the server and its imported tools. */
  deleteMcpServer: Scalars['Boolean']['output'];
  /** Its children become roots. Returns the id (scope memory:write). Errors: NOT_FOUND. */
  deleteMemory: Scalars['ID']['output'];
  /** Needs the scope provider:admin. Returns the id. Errors: NOT_FOUND. */
  deleteModel: Scalars['ID']['output'];
  /** Deletes the provider and its models; usage records keep their figures (provider:admin). Returns the id. Errors: NOT_FOUND. */
  deleteProvider: Scalars['ID']['output'];
  /** Needs tools:admin. Deletes a tool; its executions keep their records. Returns whether it existed. */
  deleteTool: Scalars['Boolean']['output'];
  /** Turns two-factor sign-in off: removes the authenticator and the recovery codes. Answers false when it was not on (a pending enrolment is dropped). Errors: UNAUTHENTICATED (no token), BAD_USER_INPUT (neither a fresh authenticator code nor an unused recovery code; field `code`), RATE_LIMITED (too many wrong codes or passwords for this account). */
  disableTotp: Scalars['Boolean']['output'];
  /**
   * Needs ui:write; the owner or an editor. Deletes and inserts text on the server, as a Yjs
   * update that merges with concurrent edits (e.g. an assistant writing into an open document).
   * Errors: BAD_USER_INPUT (a range outside the text), NOT_FOUND, FORBIDDEN.
   */
  editDocumentText: DocumentUpdateAck;
  /** Needs tools:execute. Validates the arguments and queues an execution. Errors: BAD_USER_INPUT (extensions.problems lists each problem with its JSON pointer), NOT_FOUND (no such enabled tool), OVERLOADED (the queue is full). */
  executeTool: Execution;
  /** Verifies the browser's answer to `startPasskeyLogin` and signs its user in, as `login` does. Open to anyone. Errors: UNAUTHENTICATED (the answer did not verify: its challenge is unknown, expired or already used, the passkey is not registered here or not the account's that was asked for, its signature, origin or relying party is wrong, or its signature counter did not grow), BAD_USER_INPUT (response is not a credential's JSON). */
  finishPasskeyLogin: AuthPayload;
  /** Verifies the browser's answer to `startPasskeyRegistration` (its challenge, origin and relying party) and stores the passkey. Errors: UNAUTHENTICATED (no token; or the answer did not verify: its challenge is unknown, expired, already used or another user's, or its origin or relying party is not this site's), BAD_USER_INPUT (response is not a credential's JSON, or a name is blank or longer than 100 characters), CONFLICT (this passkey is registered already). */
  finishPasskeyRegistration: Passkey;
  /** Finishes a single sign-on: exchanges the code of the provider's callback, checks the ID token, and signs in the user linked to the provider's account. On the first sign-in it links an existing user with the same email only when the provider has verified the address, and otherwise creates a user (with the default role and no password). Open to anyone. Errors: BAD_USER_INPUT (callbackUrl not a URL or without state), NOT_FOUND (no enabled provider with this slug), UNAUTHENTICATED (unknown, expired or already used state; a state other than the one given; a code the provider refuses, e.g. for a wrong PKCE verifier; an ID token that fails a check; the provider's own refusal), CONFLICT (an account with the email exists and the provider has not verified the address), UPSTREAM_UNAVAILABLE, UPSTREAM_ERROR (the provider's answer is unusable, or it gives no email). */
  finishSsoLogin: AuthPayload;
  /** Exchanges an email and password for a token. Open to anyone. Errors: UNAUTHENTICATED (wrong email or password), RATE_LIMITED (too many failed attempts for this email or from this address: the account or address is locked for a while that doubles with each further lock; `extensions.retryAfterSeconds` says how long; the same answer whether or not the account exists or the password is right), EMAIL_VERIFICATION_REQUIRED (verify-email mode: right password on an account whose address is not verified yet; a new verification mail is sent), MFA_REQUIRED (right password on an account with two-factor sign-in: no token yet; finish with `completeMfaLogin` and the challenge in `extensions.mfa` {challenge, expiresAt, methods}). */
  login: AuthPayload;
  /** Ends the session of the token that asks: its refresh token stops working. Answers whether a session was ended. Errors: UNAUTHENTICATED (no token). */
  logout: Scalars['Boolean']['output'];
  /** Exchanges a refresh token for a new access token and the session's next refresh token. Open to anyone holding one. Errors: UNAUTHENTICATED (unknown, expired or already used refresh token, or a session that has ended; an already used one also ends its session). */
  refreshSession: AuthPayload;
  /** Replaces the signed-in user's recovery codes with new ones; the old ones stop working. Errors: UNAUTHENTICATED (no token), BAD_USER_INPUT (not the current code of the authenticator, or one already used; field `code`), CONFLICT (two-factor sign-in is off), RATE_LIMITED (too many wrong codes or passwords for this account). */
  regenerateRecoveryCodes: RecoveryCodesResult;
  /** Needs tools:admin. Registers a remote MCP server and imports its tools. Errors: BAD_USER_INPUT (URL not allowed), CONFLICT, UPSTREAM_UNAVAILABLE (the server cannot be reached). */
  registerMcpServer: McpServer;
  /** Needs tools:admin. Errors: BAD_USER_INPUT (an invalid field or schema, named in extensions.field), CONFLICT (the name is taken). */
  registerTool: Tool;
  /** Removes one of the signed-in user's passkeys: it signs in no more. Answers true. Errors: UNAUTHENTICATED (no token), NOT_FOUND (no such passkey of this user). */
  removePasskey: Scalars['Boolean']['output'];
  /** Renames one of the signed-in user's passkeys. Errors: UNAUTHENTICATED (no token), NOT_FOUND (no such passkey of this user), BAD_USER_INPUT (a blank name or one longer than 100 characters). */
  renamePasskey: Passkey;
  /** Mails the signed-in user a link `PUBLIC_APP_URL/verify-email?token=…` that verifies their address (once, within EMAIL_VERIFICATION_TTL_SECONDS). Answers false, sending nothing, when the address is verified already. Errors: UNAUTHENTICATED (no token). */
  requestEmailVerification: Scalars['Boolean']['output'];
  /** Asks for a password reset link by email. Always answers true, with the same work whether or not an account has this address (it is not revealed); for an account, a mail goes to the address with a link `PUBLIC_APP_URL/reset-password?token=…` that works once, for 30 minutes (PASSWORD_RESET_TTL_SECONDS); at most one link a minute per account (asking again within it sends nothing more). Open to anyone. Errors: BAD_USER_INPUT (not an email address; field `requestPasswordReset.email`). */
  requestPasswordReset: Scalars['Boolean']['output'];
  /** Sets a new password with the token of a reset link, spends the token (and any older link of the account), and ends every session of the account (their tokens are refused within seconds). Answers true; the user then signs in with `login` (which still asks for a second factor where one is on), so no tokens are answered here. Open to anyone holding a token. Errors: BAD_USER_INPUT (a token that is unknown, already used or expired: field `token`; a new password that signUp would refuse: field `resetPassword.newPassword`; nothing changes then). */
  resetPassword: Scalars['Boolean']['output'];
  /**
   * Needs ui:write; the owner or an editor. Makes the document's text that of the version, as a
   * new update (history is kept, open clients converge on it). Errors: NOT_FOUND, FORBIDDEN.
   */
  restoreDocumentVersion: DocumentUpdateAck;
  /** Ends one of the signed-in user's sessions. Errors: UNAUTHENTICATED (no token), NOT_FOUND (no such live session of this user). */
  revokeSession: Session;
  /** Ends every live session of a user; answers how many. Needs the scope security:admin. Errors: UNAUTHENTICATED, FORBIDDEN. */
  revokeUserSessions: Scalars['Int']['output'];
  /** Rotates the token-signing key now (it also rotates on a schedule): the NEXT key becomes CURRENT and signs from now on, the CURRENT one is RETIRED (its tokens accepted for the grace period, `SIGNING_KEY_GRACE_SECONDS`), and a new NEXT key is published. Answers the keys published after the rotation. Needs the scope security:admin. Errors: UNAUTHENTICATED, FORBIDDEN. */
  rotateSigningKey: Array<SigningKey>;
  /** Sets a user's monthly spending limit in US dollars (scope provider:admin). Errors: BAD_USER_INPUT, NOT_FOUND. */
  setBudget: Budget;
  /**
   * Needs ui:read and access to the document. Sets (or, with state null, clears) a client's
   * presence; it expires after DOCUMENT_PRESENCE_TIMEOUT_MS (30 s by default) unless set again.
   * Errors: BAD_USER_INPUT (state too large or not an object), NOT_FOUND, FORBIDDEN (a client
   * id another user holds).
   */
  setDocumentPresence: Scalars['Boolean']['output'];
  /** Creates or replaces the fold's summary memory of a level (scope memory:write). Errors: BAD_USER_INPUT, NOT_FOUND. */
  setFoldSummary: Memory;
  /** Needs tools:admin. Switches a tool on or off. Errors: NOT_FOUND (no tool with this id). */
  setToolEnabled: Tool;
  /** Needs ui:write; only the owner. Shares the document with a user as EDITOR or VIEWER (or changes their role). Errors: BAD_USER_INPUT, NOT_FOUND, FORBIDDEN. */
  shareDocument: DocumentShare;
  /** Needs ui:write; only the owner. Shares the visualization with a user as EDITOR or VIEWER. Errors: BAD_USER_INPUT, NOT_FOUND, FORBIDDEN. */
  shareVisualization: DocumentShare;
  /** Creates a user with the default role (member) and returns a token for it. Open to anyone. With SIGN_UP_MODE verify-email (the default in production) it answers no token but EMAIL_VERIFICATION_REQUIRED for a new and a taken address alike: a new one gets an unverified account and a verification mail (finish with `verifyEmail`, then `login`), a taken one a mail to its owner. Errors: BAD_USER_INPUT (invalid email, password or name), CONFLICT (instant mode: the account cannot be created with this email), EMAIL_VERIFICATION_REQUIRED (verify-email mode: check your email). */
  signUp: AuthPayload;
  /** Starts a sign-in with a passkey: answers the options for `navigator.credentials.get`. Open to anyone. Without an email, any passkey of this site is accepted (the browser offers the user's discoverable ones: passwordless sign-in); with an email of an account that has passkeys, only those. */
  startPasskeyLogin: PasskeyOptions;
  /** Starts registering a passkey for the signed-in user: answers the options for `navigator.credentials.create` (resident key and user verification preferred; the user's passkeys excluded). Errors: UNAUTHENTICATED (no token). */
  startPasskeyRegistration: PasskeyOptions;
  /** Starts a single sign-on with the authorization code flow (PKCE S256, state and nonce): send the browser to the answer's authorizationUrl. Open to anyone. Errors: NOT_FOUND (no enabled provider with this slug), BAD_USER_INPUT (a redirect URI outside the allow-list SSO_REDIRECT_URIS), UPSTREAM_UNAVAILABLE (the provider cannot be reached), UPSTREAM_ERROR (its discovery document is unusable). */
  startSsoLogin: SsoLoginStart;
  /** Starts adding an authenticator app (TOTP) to the signed-in user's account: answers its secret, otpauth URI and QR code. Login is unchanged until `confirmTotpEnrollment`; starting again replaces a pending secret. Errors: UNAUTHENTICATED (no token), CONFLICT (two-factor sign-in is already on). */
  startTotpEnrollment: TotpEnrollment;
  /** Needs tools:admin. Imports the server's tools again: new ones added, changed ones updated, vanished ones disabled. */
  syncMcpServer: McpServer;
  /** Needs ui:write; only the owner. Takes the user's access away and ends their open subscriptions of the document. True if it was shared with them. Errors: NOT_FOUND, FORBIDDEN. */
  unshareDocument: Scalars['Boolean']['output'];
  /** Needs ui:write; only the owner. Takes the user's access away. True if it was shared with them. Errors: NOT_FOUND, FORBIDDEN. */
  unshareVisualization: Scalars['Boolean']['output'];
  /**
   * Needs ui:write; the owner or an editor. A new content is applied as a Yjs edit from the
   * stored text to it, so that it merges with concurrent edits. Errors: BAD_USER_INPUT (nothing
   * to change or an invalid field), NOT_FOUND, FORBIDDEN (a viewer), CONFLICT (expectedVersion
   * is not the current version; extensions.currentVersion says which is).
   */
  updateDocument: Document;
  /** Scope memory:write. Changes only the fields given. Errors: BAD_USER_INPUT, NOT_FOUND. */
  updateFold: Fold;
  /** Changes an identity provider's settings; sign-ins already started finish with the new ones. Needs the scope security:admin. Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND (no provider with this slug), BAD_USER_INPUT. */
  updateIdentityProvider: IdentityProviderSettings;
  /** Scope memory:write. Changes only the fields given. Errors: BAD_USER_INPUT, NOT_FOUND. */
  updateMemory: Memory;
  /** Changes only the fields given (provider:admin). Errors: BAD_USER_INPUT (nothing to change), NOT_FOUND, CONFLICT. */
  updateModel: Model;
  /** Changes only the fields given; null clears baseUrl, apiKey or rateLimitPerMinute (provider:admin). Errors: BAD_USER_INPUT (nothing to change), NOT_FOUND, CONFLICT. */
  updateProvider: Provider;
  /** Needs tools:admin. Changes the given fields. Errors: NOT_FOUND, BAD_USER_INPUT. */
  updateTool: Tool;
  /** Verifies the address with the token of a verification link (from signUp or login in verify-email mode, or requestEmailVerification) and answers true; after a sign-up the user then logs in. Open to anyone holding a token. Errors: BAD_USER_INPUT (a token that is unknown, already used or expired; field `token`). */
  verifyEmail: Scalars['Boolean']['output'];
};


/** The entry points for changing data. */
export type MutationApplyDocumentUpdatesArgs = {
  input: ApplyDocumentUpdatesInput;
};


/** The entry points for changing data. */
export type MutationCancelExecutionArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationCompleteArgs = {
  input: CompletionInput;
};


/** The entry points for changing data. */
export type MutationCompleteMfaLoginArgs = {
  challenge: Scalars['String']['input'];
  code?: InputMaybe<Scalars['String']['input']>;
  passkeyResponse?: InputMaybe<Scalars['String']['input']>;
};


/** The entry points for changing data. */
export type MutationConfirmTotpEnrollmentArgs = {
  code: Scalars['String']['input'];
};


/** The entry points for changing data. */
export type MutationCreateDocumentArgs = {
  input: CreateDocumentInput;
};


/** The entry points for changing data. */
export type MutationCreateDocumentVersionArgs = {
  documentId: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};


/** The entry points for changing data. */
export type MutationCreateFoldArgs = {
  input: CreateFoldInput;
};


/** The entry points for changing data. */
export type MutationCreateIdentityProviderArgs = {
  input: CreateIdentityProviderInput;
};


/** The entry points for changing data. */
export type MutationCreateMemoriesArgs = {
  inputs: Array<CreateMemoryInput>;
};


/** The entry points for changing data. */
export type MutationCreateMemoryArgs = {
  input: CreateMemoryInput;
};


/** The entry points for changing data. */
export type MutationCreateModelArgs = {
  input: CreateModelInput;
};


/** The entry points for changing data. */
export type MutationCreateProviderArgs = {
  input: CreateProviderInput;
};


/** The entry points for changing data. */
export type MutationCreateVisualizationArgs = {
  input: CreateVisualizationInput;
};


/** The entry points for changing data. */
export type MutationDeleteFoldArgs = {
  deleteMemories?: InputMaybe<Scalars['Boolean']['input']>;
  id: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationDeleteIdentityProviderArgs = {
  slug: Scalars['String']['input'];
};


/** The entry points for changing data. */
export type MutationDeleteMcpServerArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationDeleteMemoryArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationDeleteModelArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationDeleteProviderArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationDeleteToolArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationDisableTotpArgs = {
  code: Scalars['String']['input'];
};


/** The entry points for changing data. */
export type MutationEditDocumentTextArgs = {
  input: EditDocumentTextInput;
};


/** The entry points for changing data. */
export type MutationExecuteToolArgs = {
  input: ExecuteToolInput;
};


/** The entry points for changing data. */
export type MutationFinishPasskeyLoginArgs = {
  response: Scalars['String']['input'];
};


/** The entry points for changing data. */
export type MutationFinishPasskeyRegistrationArgs = {
  name?: InputMaybe<Scalars['String']['input']>;
  response: Scalars['String']['input'];
};


/** The entry points for changing data. */
export type MutationFinishSsoLoginArgs = {
  callbackUrl: Scalars['String']['input'];
  provider: Scalars['String']['input'];
  state?: InputMaybe<Scalars['String']['input']>;
};


/** The entry points for changing data. */
export type MutationLoginArgs = {
  input: LoginInput;
};


/** The entry points for changing data. */
export type MutationRefreshSessionArgs = {
  refreshToken: Scalars['String']['input'];
};


/** The entry points for changing data. */
export type MutationRegenerateRecoveryCodesArgs = {
  code: Scalars['String']['input'];
};


/** The entry points for changing data. */
export type MutationRegisterMcpServerArgs = {
  input: RegisterMcpServerInput;
};


/** The entry points for changing data. */
export type MutationRegisterToolArgs = {
  input: RegisterToolInput;
};


/** The entry points for changing data. */
export type MutationRemovePasskeyArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationRenamePasskeyArgs = {
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};


/** The entry points for changing data. */
export type MutationRequestPasswordResetArgs = {
  email: Scalars['String']['input'];
};


/** The entry points for changing data. */
export type MutationResetPasswordArgs = {
  newPassword: Scalars['String']['input'];
  token: Scalars['String']['input'];
};


/** The entry points for changing data. */
export type MutationRestoreDocumentVersionArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationRevokeSessionArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationRevokeUserSessionsArgs = {
  userId: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationRotateSigningKeyArgs = {
  retirePreviousNow?: InputMaybe<Scalars['Boolean']['input']>;
};


/** The entry points for changing data. */
export type MutationSetBudgetArgs = {
  monthlyLimit: Scalars['Float']['input'];
  userId: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationSetDocumentPresenceArgs = {
  input: DocumentPresenceInput;
};


/** The entry points for changing data. */
export type MutationSetFoldSummaryArgs = {
  input: SetFoldSummaryInput;
};


/** The entry points for changing data. */
export type MutationSetToolEnabledArgs = {
  enabled: Scalars['Boolean']['input'];
  id: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationShareDocumentArgs = {
  input: ShareInput;
};


/** The entry points for changing data. */
export type MutationShareVisualizationArgs = {
  input: ShareInput;
};


/** The entry points for changing data. */
export type MutationSignUpArgs = {
  input: SignUpInput;
};


/** The entry points for changing data. */
export type MutationStartPasskeyLoginArgs = {
  email?: InputMaybe<Scalars['String']['input']>;
};


/** The entry points for changing data. */
export type MutationStartSsoLoginArgs = {
  provider: Scalars['String']['input'];
  redirectUri: Scalars['String']['input'];
};


/** The entry points for changing data. */
export type MutationSyncMcpServerArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationUnshareDocumentArgs = {
  id: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationUnshareVisualizationArgs = {
  id: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
};


/** The entry points for changing data. */
export type MutationUpdateDocumentArgs = {
  input: UpdateDocumentInput;
};


/** The entry points for changing data. */
export type MutationUpdateFoldArgs = {
  input: UpdateFoldInput;
};


/** The entry points for changing data. */
export type MutationUpdateIdentityProviderArgs = {
  input: UpdateIdentityProviderInput;
  slug: Scalars['String']['input'];
};


/** The entry points for changing data. */
export type MutationUpdateMemoryArgs = {
  input: UpdateMemoryInput;
};


/** The entry points for changing data. */
export type MutationUpdateModelArgs = {
  input: UpdateModelInput;
};


/** The entry points for changing data. */
export type MutationUpdateProviderArgs = {
  input: UpdateProviderInput;
};


/** The entry points for changing data. */
export type MutationUpdateToolArgs = {
  id: Scalars['ID']['input'];
  input: UpdateToolInput;
};


/** The entry points for changing data. */
export type MutationVerifyEmailArgs = {
  token: Scalars['String']['input'];
};

/** Where a page of a connection ends. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of the page's last item, to pass as `after`; null for an empty page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether more items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
};

/** A passkey (WebAuthn credential) of the signed-in user: it signs them in without a password, with a key that never leaves their device or password manager. */
export type Passkey = {
  __typename?: 'Passkey';
  /** Whether the authenticator says it is backed up (synced); always false for single-device ones. */
  backedUp: Scalars['Boolean']['output'];
  /** When it was registered. */
  createdAt: Scalars['DateTime']['output'];
  /** `singleDevice` (bound to one authenticator) or `multiDevice` (synced, e.g. by a password manager). */
  deviceType: Scalars['String']['output'];
  /** The passkey's id here (not the authenticator's credential id). */
  id: Scalars['ID']['output'];
  /** When it last signed in, or null if it never has. */
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The user's name for it, 1 to 100 characters. */
  name: Scalars['String']['output'];
  /** How the browser can reach the authenticator (`internal`, `hybrid`, `usb`, `nfc`, `ble`…), as it reported at registration. */
  transports: Array<Scalars['String']['output']>;
};

/** The options of a passkey ceremony, for the browser, and the end of their challenge. */
export type PasskeyOptions = {
  __typename?: 'PasskeyOptions';
  /** When the challenge stops being accepted (5 minutes after it was given by default). */
  expiresAt: Scalars['DateTime']['output'];
  /** PublicKeyCredentialCreationOptionsJSON (registration) or PublicKeyCredentialRequestOptionsJSON (sign-in): pass to `PublicKeyCredential.parseCreationOptionsFromJSON` / `parseRequestOptionsFromJSON` and `navigator.credentials`, or as `optionsJSON` to @simplewebauthn/browser's `startRegistration` / `startAuthentication`. Its challenge works once. */
  options: Scalars['JSON']['output'];
};

/** What happened to a client's presence. */
export type PresenceChange =
  /** The client appeared (or was there when the subscription began). */
  | 'JOIN'
  /** The client left: it said so, disconnected or stopped renewing. */
  | 'LEAVE'
  /** The client's state changed or was renewed. */
  | 'UPDATE';

/** A change of one client's presence (awareness state) in a document. */
export type PresenceEvent = {
  __typename?: 'PresenceEvent';
  /** What happened. */
  change: PresenceChange;
  /** The client (its Yjs clientID, as a string). */
  clientId: Scalars['String']['output'];
  /** The document. */
  documentId: Scalars['ID']['output'];
  /** The client's state, e.g. cursor, selection, name and colour; null on LEAVE. */
  state?: Maybe<Scalars['JSON']['output']>;
  /** Whose client it is. */
  user?: Maybe<User>;
};

/** An AI provider: where completions are sent, with which credentials. Readable without a token: it holds no secrets. */
export type Provider = {
  __typename?: 'Provider';
  /** Where the provider's API is served; null for the default of its kind. */
  baseUrl?: Maybe<Scalars['String']['output']>;
  /** When the provider was added. */
  createdAt: Scalars['DateTime']['output'];
  /** Disabled providers are never selected. */
  enabled: Scalars['Boolean']['output'];
  /** Whether an API key is stored; the key itself is never returned. */
  hasApiKey: Scalars['Boolean']['output'];
  /** How calls to the provider have been going, from this service's view. */
  health: ProviderHealth;
  /** The provider's unique id (a UUID). */
  id: Scalars['ID']['output'];
  /** The wire protocol it speaks. */
  kind: ProviderKind;
  /** The models this provider serves. */
  models: Array<Model>;
  /** Unique across providers. */
  name: Scalars['String']['output'];
  /** Requests per minute sent at most (token bucket); null for no limit. */
  rateLimitPerMinute?: Maybe<Scalars['Int']['output']>;
  /** Relative share of traffic among eligible providers; 0 takes none. */
  weight: Scalars['Int']['output'];
};

/** A provider's health as this replica of the provider subgraph has seen it since it started. */
export type ProviderHealth = {
  __typename?: 'ProviderHealth';
  /** The circuit breaker's state. */
  breaker: BreakerState;
  /** Failed calls since the last success. */
  consecutiveFailures: Scalars['Int']['output'];
  /** Calls in progress now. */
  inFlight: Scalars['Int']['output'];
  /** The message of the latest failure; null if none. */
  lastError?: Maybe<Scalars['String']['output']>;
  /** Median latency of the recent calls, in milliseconds; null before the first call. */
  p50LatencyMs?: Maybe<Scalars['Float']['output']>;
  /** 95th percentile latency of the recent calls, in milliseconds; null before the first call. */
  p95LatencyMs?: Maybe<Scalars['Float']['output']>;
  /** The overall judgement. */
  state: HealthState;
  /** Successful share of the recent calls, 0 to 1; null before the first call. */
  successRate?: Maybe<Scalars['Float']['output']>;
  /** Successful calls since start, in percent; null before the first call. */
  uptimePercent?: Maybe<Scalars['Float']['output']>;
};

/** The wire protocol a provider speaks. */
export type ProviderKind =
  /** Anthropic's Messages API. */
  | 'ANTHROPIC'
  /** Answers without a network: a development aid. */
  | 'OFFLINE_ECHO'
  /** Any server with the OpenAI chat completions API (OpenAI, vLLM, Ollama, LM Studio...). */
  | 'OPENAI_COMPATIBLE';

/** The entry points for reading. */
export type Query = {
  __typename?: 'Query';
  /** Compresses messages or memories into a text within a token budget (scope memory:read). Errors: BAD_USER_INPUT (both or neither of messages and memoryIds, too many, nothing to compress). */
  compressContext: CompressedContext;
  /** Needs ui:read. Null unless the document exists and the caller owns it or it is shared with them. */
  document?: Maybe<Document>;
  /**
   * Needs ui:read and access to the document. The Yjs update the client lacks, given its state
   * vector (none: the whole document), and where the server stands. Errors: BAD_USER_INPUT (a
   * state vector that does not decode), NOT_FOUND.
   */
  documentSync: DocumentSync;
  /** Needs ui:read and access to the document. One version with its text. Null if there is none. */
  documentVersion?: Maybe<DocumentVersion>;
  /** Needs ui:read. The documents the caller owns or that are shared with them, newest first. Errors: BAD_USER_INPUT (first out of range). */
  documents: Array<Document>;
  /** Needs tools:execute. An execution of the caller's (any for tools:admin), or null. */
  execution?: Maybe<Execution>;
  /** Needs tools:execute. The caller's executions, newest first (everyone's with all and tools:admin). */
  executions: Array<Execution>;
  /** The original memories behind a compressed context, in the order asked (null where unknown). */
  expandContext: Array<Maybe<Memory>>;
  /** One of the caller's folds (scope memory:read); null if there is none. */
  fold?: Maybe<Fold>;
  /** The caller's folds (scope memory:read). */
  folds: Array<Fold>;
  /** Every configured identity provider with its settings (not its client secret). Needs the scope security:admin. Errors: UNAUTHENTICATED, FORBIDDEN. */
  identityProviderSettings: Array<IdentityProviderSettings>;
  /** Identity providers people may sign in with (enabled ones), by name, for a login page. Open to anyone. */
  identityProviders: Array<IdentityProvider>;
  /** Needs tools:admin. The registered MCP servers. */
  mcpServers: Array<McpServer>;
  /** The signed-in user, or null without a token. */
  me?: Maybe<User>;
  /** The caller's memories, with cursor pagination (scope memory:read). Errors: BAD_USER_INPUT (first out of range, an unknown cursor, a bad filter). */
  memories: MemoryConnection;
  /** One of the caller's memories (scope memory:read); null if there is none. A read counts as a use for EVICT_LEAST_RECENTLY_USED. */
  memory?: Maybe<Memory>;
  /** The signed-in user's two-factor sign-in status. Errors: UNAUTHENTICATED (no token). */
  mfaStatus: MfaStatus;
  /** Models of every provider, or only those with the given capability. Open to anyone. */
  models: Array<Model>;
  /** The caller's budget and spending this month (scope provider:read). */
  myBudget: Budget;
  /** The signed-in user's passkeys, oldest first. Errors: UNAUTHENTICATED (no token). */
  passkeys: Array<Passkey>;
  /** A provider by id, or null if there is none. Open to anyone. */
  provider?: Maybe<Provider>;
  /** Every provider. Open to anyone. */
  providers: Array<Provider>;
  /** The caller's memories nearest to a text or a vector (scope memory:read). Errors: BAD_USER_INPUT, UPSTREAM_UNAVAILABLE (the embedder cannot be reached). */
  searchMemories: Array<MemorySearchHit>;
  /** The model the strategy would choose now, or null if none is eligible. Open to anyone. */
  selectModel?: Maybe<Model>;
  /** The signed-in user's live sessions, most recently used first. Errors: UNAUTHENTICATED (no token). */
  sessions: Array<Session>;
  /** The signing keys the JWKS publishes (NEXT, CURRENT, and RETIRED ones still accepted), oldest first. Needs the scope security:admin. Errors: UNAUTHENTICATED, FORBIDDEN. */
  signingKeys: Array<SigningKey>;
  /** Needs tools:read. A tool by id, or null if there is none. */
  tool?: Maybe<Tool>;
  /** Needs tools:read. A tool by its unique name, or null if there is none. */
  toolByName?: Maybe<Tool>;
  /** Needs tools:read. Tools by name; only enabled ones unless includeDisabled. search matches name, title and description (case-insensitive); tag matches a tag exactly. Errors: BAD_USER_INPUT (first out of range). */
  tools: Array<Tool>;
  /** The caller's usage (scope provider:read); all users' with provider:admin and allUsers. */
  usage: Array<UsageSummary>;
  /** A user by id, or null if there is none; email and roles are null unless the caller is that user or an administrator. */
  user?: Maybe<User>;
  /** Needs ui:read. A visualization the caller owns or that is shared with them, or null. */
  visualization?: Maybe<Visualization>;
  /** Needs ui:read. The visualizations the caller owns or that are shared with them, newest first. Errors: BAD_USER_INPUT (first out of range). */
  visualizations: Array<Visualization>;
};


/** The entry points for reading. */
export type QueryCompressContextArgs = {
  input: CompressContextInput;
};


/** The entry points for reading. */
export type QueryDocumentArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for reading. */
export type QueryDocumentSyncArgs = {
  id: Scalars['ID']['input'];
  stateVector?: InputMaybe<Scalars['String']['input']>;
};


/** The entry points for reading. */
export type QueryDocumentVersionArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for reading. */
export type QueryDocumentsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** The entry points for reading. */
export type QueryExecutionArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for reading. */
export type QueryExecutionsArgs = {
  all?: InputMaybe<Scalars['Boolean']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<Array<ExecutionStatus>>;
  toolId?: InputMaybe<Scalars['ID']['input']>;
};


/** The entry points for reading. */
export type QueryExpandContextArgs = {
  memoryIds: Array<Scalars['ID']['input']>;
};


/** The entry points for reading. */
export type QueryFoldArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for reading. */
export type QueryFoldsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<FoldSort>;
};


/** The entry points for reading. */
export type QueryMemoriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<MemoryFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<MemorySort>;
};


/** The entry points for reading. */
export type QueryMemoryArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for reading. */
export type QueryModelsArgs = {
  capability?: InputMaybe<ModelCapability>;
};


/** The entry points for reading. */
export type QueryProviderArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for reading. */
export type QuerySearchMemoriesArgs = {
  input: SearchMemoriesInput;
};


/** The entry points for reading. */
export type QuerySelectModelArgs = {
  requirements?: InputMaybe<ModelRequirements>;
  strategy?: InputMaybe<SelectionStrategy>;
};


/** The entry points for reading. */
export type QueryToolArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for reading. */
export type QueryToolByNameArgs = {
  name: Scalars['String']['input'];
};


/** The entry points for reading. */
export type QueryToolsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  includeDisabled?: InputMaybe<Scalars['Boolean']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  tag?: InputMaybe<Scalars['String']['input']>;
};


/** The entry points for reading. */
export type QueryUsageArgs = {
  allUsers?: InputMaybe<Scalars['Boolean']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  groupBy: UsageGroupBy;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** The entry points for reading. */
export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for reading. */
export type QueryVisualizationArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for reading. */
export type QueryVisualizationsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A new set of recovery codes; the previous ones stopped working. */
export type RecoveryCodesResult = {
  __typename?: 'RecoveryCodesResult';
  /** Single-use codes that stand in for the authenticator. Shown only this once: ask the user to store them. */
  recoveryCodes: Array<Scalars['String']['output']>;
  /** The account's two-factor status after the change. */
  status: MfaStatus;
};

/** A remote MCP server to import tools from, for `registerMcpServer`. */
export type RegisterMcpServerInput = {
  /** Headers sent with every request, e.g. an Authorization header, as a JSON object of strings. */
  headers?: InputMaybe<Scalars['JSON']['input']>;
  /** Like a tool name; imported tools are named <name>_<remote name>. */
  name: Scalars['String']['input'];
  /** Its Streamable HTTP endpoint, on a host of the egress allow-list. */
  url: Scalars['String']['input'];
};

/** A new tool, for `registerTool`: give javascript or http to make it executable; neither makes a CLIENT tool. */
export type RegisterToolInput = {
  /** Behaviour hints; each defaults to false. */
  annotations?: InputMaybe<ToolAnnotationsInput>;
  /** 1 to 2,000 characters. */
  description: Scalars['String']['input'];
  /** Whether models are offered the tool from the start; default true. */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** Makes an HTTP tool: the URL it calls. */
  http?: InputMaybe<HttpToolInput>;
  /** A JSON Schema as a JSON object (checked to be a valid schema), at most 64 KiB of JSON by default (MAX_TOOL_SCHEMA_BYTES). */
  inputSchema: Scalars['JSON']['input'];
  /** The body of an async function of args (and progress(value, total?, message?)) that returns the output. */
  javascript?: InputMaybe<Scalars['String']['input']>;
  /** A lowercase letter, then up to 63 of a-z, 0-9, _ and -; unique. */
  name: Scalars['String']['input'];
  /** A JSON Schema of the structured output, checked like inputSchema. */
  outputSchema?: InputMaybe<Scalars['JSON']['input']>;
  /** Up to 20 tags of up to 40 characters. */
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The longest an execution may run, 100 ms to TOOL_MAX_TIMEOUT_MS; default TOOL_TIMEOUT_MS. */
  timeoutMs?: InputMaybe<Scalars['Int']['input']>;
  /** Up to 200 characters. */
  title?: InputMaybe<Scalars['String']['input']>;
  /** Default 1.0.0. */
  version?: InputMaybe<Scalars['String']['input']>;
};

/** A search by meaning, for `searchMemories`: give exactly one of text and vector. */
export type SearchMemoriesInput = {
  /** Search only the memories that match. */
  filter?: InputMaybe<MemoryFilter>;
  /** How distance is measured. */
  metric?: InputMaybe<DistanceMetric>;
  /** Hits scoring lower are left out. */
  minScore?: InputMaybe<Scalars['Float']['input']>;
  /** Embedded by the server's embedder; give this or vector. Not blank. */
  text?: InputMaybe<Scalars['String']['input']>;
  /** 1 to the configured maximum (default 1,000). */
  topK?: InputMaybe<Scalars['Int']['input']>;
  /** A vector of the embedder's dimension. */
  vector?: InputMaybe<Array<Scalars['Float']['input']>>;
};

/** How a model is chosen among the eligible providers' models. */
export type SelectionStrategy =
  /** Fewest requests in flight. */
  | 'LEAST_LOADED'
  /** Lowest input plus output price. */
  | 'LOWEST_COST'
  /** Lowest median latency seen. */
  | 'LOWEST_LATENCY'
  /** Any, uniformly at random. */
  | 'RANDOM'
  /** Each in turn. */
  | 'ROUND_ROBIN'
  /** Random, in proportion to the providers' weights. */
  | 'WEIGHTED_RANDOM';

/** A signed-in device or client: it lasts from a sign-in until logout, revocation or its end, across refreshes. */
export type Session = {
  __typename?: 'Session';
  /** When the session started (the sign-in). */
  createdAt: Scalars['DateTime']['output'];
  /** Whether it is the session of the token that asked. */
  current: Scalars['Boolean']['output'];
  /** When it ends at the latest, however often it is refreshed. */
  expiresAt: Scalars['DateTime']['output'];
  /** The session's id, also in its access tokens (claim `sid`). */
  id: Scalars['ID']['output'];
  /** The address that signed in, when it was known. */
  ip?: Maybe<Scalars['String']['output']>;
  /** When it was last signed in or refreshed. */
  lastUsedAt: Scalars['DateTime']['output'];
  /** The user agent that signed in, when it was known. */
  userAgent?: Maybe<Scalars['String']['output']>;
};

/** A fold's summary of one level, for `setFoldSummary`. */
export type SetFoldSummaryInput = {
  /** The summary's text; not blank. */
  content: Scalars['String']['input'];
  /** The fold summarised. */
  foldId: Scalars['ID']['input'];
  /** 0 to 64. */
  level: Scalars['Int']['input'];
};

/** Sharing a document or a visualization, for `shareDocument` and `shareVisualization`. */
export type ShareInput = {
  /** The document's or visualization's id. */
  id: Scalars['ID']['input'];
  /** EDITOR or VIEWER. */
  role: DocumentRole;
  /** The user to share with (their id). */
  userId: Scalars['ID']['input'];
};

/** Failed sign-in attempts against an account since its owner last signed in. */
export type SignInNotice = {
  __typename?: 'SignInNotice';
  /** How many attempts failed (wrong password, or wrong second-factor code). */
  failedAttempts: Scalars['Int']['output'];
  /** When the last one failed. */
  lastFailedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Until when the last lock of the account (after too many failures) lasted or lasts; null when none. */
  lockedUntil?: Maybe<Scalars['DateTime']['output']>;
};

/** A new account's details, for `signUp`. */
export type SignUpInput = {
  /** Shown to others, 1 to 100 characters; defaults to the part of the email before @. */
  displayName?: InputMaybe<Scalars['String']['input']>;
  /** A valid email address, at most 320 characters; unique across users. */
  email: Scalars['String']['input'];
  /** 8 to 256 characters. */
  password: Scalars['String']['input'];
};

/** A key that signs access tokens. Its public half is in the JWKS (`/.well-known/jwks.json`) while it is NEXT or CURRENT, and while RETIRED until `acceptedUntil`. */
export type SigningKey = {
  __typename?: 'SigningKey';
  /** Until when tokens it signed are accepted; null unless RETIRED. */
  acceptedUntil?: Maybe<Scalars['DateTime']['output']>;
  /** When it started signing; null while NEXT. */
  activatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The JWS algorithm, ES256. */
  algorithm: Scalars['String']['output'];
  /** When the key was created (and published, as NEXT). */
  createdAt: Scalars['DateTime']['output'];
  /** The key id: `kid` in the headers of the tokens it signs and in the JWKS. */
  kid: Scalars['ID']['output'];
  /** When it stopped signing; null unless RETIRED. */
  retiredAt?: Maybe<Scalars['DateTime']['output']>;
  /** Where the key is in its rotation. */
  status: SigningKeyStatus;
};

/** Where a signing key is in its rotation. */
export type SigningKeyStatus =
  /** Signs the access tokens issued now. */
  | 'CURRENT'
  /** Published ahead, so that every verifier knows it before it signs; CURRENT at the next rotation. */
  | 'NEXT'
  /** Signs no more; the tokens it signed are accepted until its `acceptedUntil`. */
  | 'RETIRED';

/** The order of a sort. */
export type SortDirection =
  /** Smallest (oldest, or first alphabetically) first. */
  | 'ASC'
  /** Largest (newest, or last alphabetically) first. */
  | 'DESC';

/** A started single sign-on: send the browser to `authorizationUrl`. */
export type SsoLoginStart = {
  __typename?: 'SsoLoginStart';
  /** The provider's authorization URL, with PKCE (S256), state and nonce; the browser comes back to the redirect URI with a code and the state. */
  authorizationUrl: Scalars['String']['output'];
  /** When the sign-in stops waiting for its callback (10 minutes by default). */
  expiresAt: Scalars['DateTime']['output'];
  /** The state of this sign-in (also in the URL). Keep it in the browser (e.g. sessionStorage) and pass it to `finishSsoLogin`, so that a callback planted by someone else is refused. */
  state: Scalars['String']['output'];
};

/** The entry points for streams of events, served over graphql-ws or SSE at the router. */
export type Subscription = {
  __typename?: 'Subscription';
  /** The caller's completions as each one ends, streamed or not, from any replica (scope provider:read). */
  completionEvents: CompletionEvent;
  /** A streamed completion (scope provider:complete); unsubscribing aborts the upstream request. Errors as for complete. */
  completionStream: CompletionChunk;
  /**
   * Needs ui:read and access to the document. Presence changes of the document's clients: first
   * a JOIN for each client present, then changes. With clientId, that client's presence leaves
   * as soon as this subscription ends (a disconnect). Ends with FORBIDDEN when access is taken
   * away.
   */
  documentPresence: PresenceEvent;
  /**
   * Needs ui:read and access to the document. The document's updates in sequence order: those
   * after `after` first (stored ones, so a reconnecting client gets exactly what it missed),
   * then live ones, without gap or duplicate. Without after, from the latest update on. Ends
   * with FORBIDDEN when the caller's access is taken away. Errors: NOT_FOUND, BAD_USER_INPUT.
   */
  documentUpdates: DocumentUpdateEvent;
  /** Needs tools:execute. An execution's status changes, log lines and progress: first its current state, then live, ending when it finishes. */
  executionEvents: ExecutionEvent;
  /** Changes to the caller's memories, of one fold or of all (scope memory:read). */
  memoryEvents: MemoryEvent;
};


/** The entry points for streams of events, served over graphql-ws or SSE at the router. */
export type SubscriptionCompletionStreamArgs = {
  input: CompletionInput;
};


/** The entry points for streams of events, served over graphql-ws or SSE at the router. */
export type SubscriptionDocumentPresenceArgs = {
  clientId?: InputMaybe<Scalars['String']['input']>;
  documentId: Scalars['ID']['input'];
};


/** The entry points for streams of events, served over graphql-ws or SSE at the router. */
export type SubscriptionDocumentUpdatesArgs = {
  after?: InputMaybe<Scalars['Int']['input']>;
  documentId: Scalars['ID']['input'];
};


/** The entry points for streams of events, served over graphql-ws or SSE at the router. */
export type SubscriptionExecutionEventsArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for streams of events, served over graphql-ws or SSE at the router. */
export type SubscriptionMemoryEventsArgs = {
  foldId?: InputMaybe<Scalars['ID']['input']>;
};

/** Tokens a completion used, as the provider counted them. */
export type TokenUsage = {
  __typename?: 'TokenUsage';
  /** Tokens of the answer. */
  completionTokens: Scalars['Int']['output'];
  /** Tokens of the messages sent. */
  promptTokens: Scalars['Int']['output'];
  /** promptTokens + completionTokens. */
  totalTokens: Scalars['Int']['output'];
};

/** A tool that models may call, with JSON Schemas of its input and output (the shape MCP uses). */
export type Tool = {
  __typename?: 'Tool';
  /** Behaviour hints for clients and models. */
  annotations: ToolAnnotations;
  /** The JavaScript of a JAVASCRIPT tool: needs tools:admin to read; null for other kinds. */
  code?: Maybe<Scalars['String']['output']>;
  /** When the tool was registered. */
  createdAt: Scalars['DateTime']['output'];
  /** Null when the security subgraph cannot be reached. */
  createdBy?: Maybe<User>;
  /** What the tool does, for the model that chooses it. */
  description: Scalars['String']['output'];
  /** Disabled tools are kept but neither listed by default nor executed. */
  enabled: Scalars['Boolean']['output'];
  /** The URL an HTTP tool calls, or the MCP server's URL; null for other kinds. */
  endpoint?: Maybe<Scalars['String']['output']>;
  /** The tool's unique id (a UUID). */
  id: Scalars['ID']['output'];
  /** A JSON Schema (a JSON object) of the tool's arguments; executeTool checks arguments against it. */
  inputSchema: Scalars['JSON']['output'];
  /** How the tool runs. */
  kind: ToolKind;
  /** The MCP server an MCP tool was imported from; null for other kinds. */
  mcpServer?: Maybe<McpServer>;
  /** Unique; a lowercase letter, then up to 63 of a-z, 0-9, _ and -. */
  name: Scalars['String']['output'];
  /** A JSON Schema of the tool's structured output, or null; executions check their output against it. */
  outputSchema?: Maybe<Scalars['JSON']['output']>;
  /** Free labels for search, e.g. weather or finance. */
  tags: Array<Scalars['String']['output']>;
  /** The longest an execution may run, in milliseconds. */
  timeoutMs: Scalars['Int']['output'];
  /** A human-friendly name for UIs; null when none was given. */
  title?: Maybe<Scalars['String']['output']>;
  /** When the tool last changed. */
  updatedAt: Scalars['DateTime']['output'];
  /** The version the admin gave the tool, e.g. 1.2.0. */
  version: Scalars['String']['output'];
};

/** Hints about a tool's behaviour, as the Model Context Protocol defines them. Hints, not guarantees. */
export type ToolAnnotations = {
  __typename?: 'ToolAnnotations';
  /** The tool may destroy or overwrite data (meaningful only when not read-only). */
  destructiveHint: Scalars['Boolean']['output'];
  /** Calling it again with the same arguments has no further effect. Only idempotent tools are retried. */
  idempotentHint: Scalars['Boolean']['output'];
  /** The tool reaches beyond the platform (the web, third parties). */
  openWorldHint: Scalars['Boolean']['output'];
  /** The tool does not change its environment. */
  readOnlyHint: Scalars['Boolean']['output'];
};

/** Behaviour hints of a new or changed tool; each defaults to false. */
export type ToolAnnotationsInput = {
  /** The tool may destroy or overwrite data. */
  destructiveHint?: InputMaybe<Scalars['Boolean']['input']>;
  /** Calling it again with the same arguments has no further effect; only such tools are retried. */
  idempotentHint?: InputMaybe<Scalars['Boolean']['input']>;
  /** The tool reaches beyond the platform. */
  openWorldHint?: InputMaybe<Scalars['Boolean']['input']>;
  /** The tool does not change its environment. */
  readOnlyHint?: InputMaybe<Scalars['Boolean']['input']>;
};

/** How a tool runs when it is executed. */
export type ToolKind =
  /** Described for models only; the caller runs it (function calling). executeTool refuses it. */
  | 'CLIENT'
  /** A call of a configured URL with the arguments as JSON, through the egress allow-list. */
  | 'HTTP'
  /** Code run by the tools subgraph in a sandbox (no host access; memory, time and output limits). */
  | 'JAVASCRIPT'
  /** A tool of a registered remote MCP server, called on that server. */
  | 'MCP';

/** A cluster of memories of one fold. */
export type Topic = {
  __typename?: 'Topic';
  /** 'topic-N', N its rank by size: stable for the same memories, not across changes. */
  id: Scalars['ID']['output'];
  /** The most distinctive terms, joined by commas. */
  label: Scalars['String']['output'];
  /** The topic's memories. */
  memories: Array<Memory>;
  /** How many memories the topic holds. */
  size: Scalars['Int']['output'];
  /** The most distinctive terms of the topic's memories, most distinctive first. */
  terms: Array<Scalars['String']['output']>;
};

/** A new authenticator for the signed-in user, pending until `confirmTotpEnrollment` accepts a first code from it. */
export type TotpEnrollment = {
  __typename?: 'TotpEnrollment';
  /** The `otpauth://totp/...` URI of the secret (issuer and account email included), for a link on a phone. */
  otpauthUri: Scalars['String']['output'];
  /** The otpauth URI as a QR code: a `data:image/png;base64,...` URL to put in an `<img src>`. */
  qrCodeDataUrl: Scalars['String']['output'];
  /** The shared secret in base32 (RFC 4648), for entering by hand into an authenticator app. Show it only to the user. */
  secret: Scalars['String']['output'];
};

/** A change to a document, for `updateDocument`: give a title, a content or both. */
export type UpdateDocumentInput = {
  /** UTF-8 text, at most MAX_DOCUMENT_BYTES (512 KiB by default); unchanged when absent. */
  content?: InputMaybe<Scalars['String']['input']>;
  /** The version the change was made on; if the document has moved on, nothing is written (CONFLICT). Without it the change is written over whatever is stored. */
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  /** The document to change. */
  id: Scalars['ID']['input'];
  /** 1 to 200 characters; unchanged when absent. */
  title?: InputMaybe<Scalars['String']['input']>;
};

/** A change to a fold, for `updateFold`: fields left out are unchanged. */
export type UpdateFoldInput = {
  /** 1 to 1,000,000. */
  capacity?: InputMaybe<Scalars['Int']['input']>;
  /** The fold to change. */
  id: Scalars['ID']['input'];
  /** 1 to 200 characters. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** What a full fold does with one more memory. */
  policy?: InputMaybe<FoldPolicy>;
};

/** Changes to an identity provider, for `updateIdentityProvider`; fields left out stay as they are. */
export type UpdateIdentityProviderInput = {
  /** The client id registered at the provider. */
  clientId?: InputMaybe<Scalars['String']['input']>;
  /** A new client secret; write-only. */
  clientSecret?: InputMaybe<Scalars['String']['input']>;
  /** Whether people may sign in with it. */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** The OpenID Connect issuer URL, as in `CreateIdentityProviderInput`. */
  issuer?: InputMaybe<Scalars['String']['input']>;
  /** The name to show on its sign-in button, 1 to 100 characters. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** The scopes to ask for; `openid` is added when missing. */
  scopes?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** A change to a memory, for `updateMemory`: fields left out are unchanged. */
export type UpdateMemoryInput = {
  /** New text, embedded again; not blank. */
  content?: InputMaybe<Scalars['String']['input']>;
  /** A time in the future; null keeps the memory until it is deleted. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Moves the memory (and nothing else) to this fold; null takes it out of its fold. */
  foldId?: InputMaybe<Scalars['ID']['input']>;
  /** The memory to change. */
  id: Scalars['ID']['input'];
  /** A JSON object that replaces the metadata. */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** null makes it a root. */
  parentId?: InputMaybe<Scalars['ID']['input']>;
};

/** A change to a model, for `updateModel`: fields left out are unchanged. */
export type UpdateModelInput = {
  /** What it can do. */
  capabilities?: InputMaybe<Array<ModelCapability>>;
  /** 1 or more. */
  contextWindow?: InputMaybe<Scalars['Int']['input']>;
  /** The model to change. */
  id: Scalars['ID']['input'];
  /** US dollars per million input tokens, 0 or more. */
  inputPricePerMillion?: InputMaybe<Scalars['Float']['input']>;
  /** 1 to 200 characters; unique within the provider. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** US dollars per million output tokens, 0 or more. */
  outputPricePerMillion?: InputMaybe<Scalars['Float']['input']>;
};

/** A change to a provider, for `updateProvider`: fields left out are unchanged. */
export type UpdateProviderInput = {
  /** Stored sealed, never returned; null removes it. */
  apiKey?: InputMaybe<Scalars['String']['input']>;
  /** An http or https URL; null for the default of its kind. */
  baseUrl?: InputMaybe<Scalars['String']['input']>;
  /** Whether it may be selected. */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** The provider to change. */
  id: Scalars['ID']['input'];
  /** 1 to 100 characters; unique across providers. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** 1 or more; null for no limit. */
  rateLimitPerMinute?: InputMaybe<Scalars['Int']['input']>;
  /** 0 or more. */
  weight?: InputMaybe<Scalars['Int']['input']>;
};

/** A change of a tool, for `updateTool`: only the fields given change (null clears optional ones). */
export type UpdateToolInput = {
  /** The hints given change; the others stay. */
  annotations?: InputMaybe<ToolAnnotationsInput>;
  /** 1 to 2,000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Switches the tool on or off. */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** For HTTP tools. */
  http?: InputMaybe<HttpToolInput>;
  /** A new input schema (not for MCP tools, whose schemas come from their server). */
  inputSchema?: InputMaybe<Scalars['JSON']['input']>;
  /** For JAVASCRIPT tools. */
  javascript?: InputMaybe<Scalars['String']['input']>;
  /** A new output schema; null removes it. */
  outputSchema?: InputMaybe<Scalars['JSON']['input']>;
  /** Replaces the tags. */
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The new time limit; null returns to TOOL_TIMEOUT_MS. */
  timeoutMs?: InputMaybe<Scalars['Int']['input']>;
  /** Up to 200 characters; null clears it. */
  title?: InputMaybe<Scalars['String']['input']>;
  /** The new version. */
  version?: InputMaybe<Scalars['String']['input']>;
};

/** How usage is grouped. */
export type UsageGroupBy =
  /** One row per day (UTC). */
  | 'DAY'
  /** One row per model. */
  | 'MODEL'
  /** One row per provider. */
  | 'PROVIDER'
  /** One row per user. */
  | 'USER';

/** Usage of one group over the period asked. */
export type UsageSummary = {
  __typename?: 'UsageSummary';
  /** Tokens of the answers. */
  completionTokens: Scalars['Int']['output'];
  /** US dollars. */
  cost: Scalars['Float']['output'];
  /** Completions that failed. */
  errors: Scalars['Int']['output'];
  /** The provider id, model id, user id or day (YYYY-MM-DD) of the group. */
  key: Scalars['String']['output'];
  /** Tokens of the messages sent. */
  promptTokens: Scalars['Int']['output'];
  /** Completions requested. */
  requests: Scalars['Int']['output'];
};

/** A person who uses the platform; owned by the security subgraph, which resolves its details. */
export type User = {
  __typename?: 'User';
  /** When the account was created. */
  createdAt: Scalars['DateTime']['output'];
  /** The name shown to others, 1 to 100 characters. */
  displayName: Scalars['String']['output'];
  /**
   * The documents the user owns or that are shared with them, newest first; empty unless the
   * caller is that user. Nullable so that the rest of a User survives an outage of this
   * subgraph. Needs ui:read.
   */
  documents?: Maybe<Array<Document>>;
  /** Visible to the user themself and to administrators; null for everyone else. */
  email?: Maybe<Scalars['String']['output']>;
  /** Whether the user proved the address is theirs (a verification or password reset link); visible to the user themself and to administrators, null for everyone else. */
  emailVerified?: Maybe<Scalars['Boolean']['output']>;
  /** The user's unique id (a UUID); other subgraphs reference the user by it. */
  id: Scalars['ID']['output'];
  /** Names of the roles granted to the user; visible to the user themself and to administrators, null for everyone else. */
  roles?: Maybe<Array<Scalars['String']['output']>>;
  /** The visualizations the user owns or that are shared with them, newest first; empty unless the caller is that user. Needs ui:read. */
  visualizations?: Maybe<Array<Visualization>>;
};

/** A chart, graph, table or timeline described by a renderer-specific JSON spec; visible to its owner and the users it is shared with. */
export type Visualization = {
  __typename?: 'Visualization';
  /** When the visualization was created. */
  createdAt: Scalars['DateTime']['output'];
  /** The visualization's unique id (a UUID). */
  id: Scalars['ID']['output'];
  /** What it draws. */
  kind: VisualizationKind;
  /** Null when the security subgraph cannot be reached. */
  owner?: Maybe<User>;
  /** What the caller may do: OWNER, EDITOR or VIEWER. */
  role: DocumentRole;
  /** Who else may open it; empty unless the caller is the owner. */
  shares: Array<DocumentShare>;
  /** A JSON object, e.g. a Vega-Lite spec. */
  spec: Scalars['JSON']['output'];
  /** 1 to 200 characters. */
  title: Scalars['String']['output'];
};

/** What a visualization draws, which tells a client how to render its spec. */
export type VisualizationKind =
  /** A chart of values, e.g. bars or lines. */
  | 'CHART'
  /** Nodes joined by edges. */
  | 'GRAPH'
  /** Rows and columns. */
  | 'TABLE'
  /** Events along a time axis. */
  | 'TIMELINE';

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { __typename?: 'Mutation', signUp: { __typename?: 'AuthPayload', token: string, user: { __typename?: 'User', id: string } } };

export type CreateMemoryMutationVariables = Exact<{
  input: CreateMemoryInput;
}>;


export type CreateMemoryMutation = { __typename?: 'Mutation', createMemory: { __typename?: 'Memory', id: string, content: string } };

export type CreateDocumentMutationVariables = Exact<{
  input: CreateDocumentInput;
}>;


export type CreateDocumentMutation = { __typename?: 'Mutation', createDocument: { __typename?: 'Document', id: string, title: string } };

export type MemoriesWithAuthorsQueryVariables = Exact<{
  first: Scalars['Int']['input'];
}>;


export type MemoriesWithAuthorsQuery = { __typename?: 'Query', memories: { __typename?: 'MemoryConnection', nodes: Array<{ __typename?: 'Memory', id: string, content: string, createdBy?: { __typename?: 'User', id: string, displayName: string, email?: string | null, documents?: Array<{ __typename?: 'Document', id: string, title: string }> | null } | null }> } };

export type CompletionStreamSubscriptionVariables = Exact<{
  input: CompletionInput;
}>;


export type CompletionStreamSubscription = { __typename?: 'Subscription', completionStream: { __typename?: 'CompletionChunk', index: number, delta: string, done: boolean, finishReason?: FinishReason | null, usage?: { __typename?: 'TokenUsage', completionTokens: number } | null, model?: { __typename?: 'Model', id: string, name: string } | null } };


export const SignUpDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SignUp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SignUpInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"signUp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<SignUpMutation, SignUpMutationVariables>;
export const CreateMemoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateMemory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateMemoryInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createMemory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"content"}}]}}]}}]} as unknown as DocumentNode<CreateMemoryMutation, CreateMemoryMutationVariables>;
export const CreateDocumentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateDocument"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateDocumentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createDocument"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}}]}}]} as unknown as DocumentNode<CreateDocumentMutation, CreateDocumentMutationVariables>;
export const MemoriesWithAuthorsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MemoriesWithAuthors"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"memories"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"documents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<MemoriesWithAuthorsQuery, MemoriesWithAuthorsQueryVariables>;
export const CompletionStreamDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"CompletionStream"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CompletionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"completionStream"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"delta"}},{"kind":"Field","name":{"kind":"Name","value":"done"}},{"kind":"Field","name":{"kind":"Name","value":"finishReason"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"model"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<CompletionStreamSubscription, CompletionStreamSubscriptionVariables>;