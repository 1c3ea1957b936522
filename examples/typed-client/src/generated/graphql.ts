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

/** A signed access token (JWT) and the user it was issued to. */
export type AuthPayload = {
  __typename?: 'AuthPayload';
  expiresAt: Scalars['DateTime']['output'];
  /** The scopes the token carries, from the user's roles. */
  scopes: Array<Scalars['String']['output']>;
  /** Send as `Authorization: Bearer <token>`. */
  token: Scalars['String']['output'];
  tokenType: Scalars['String']['output'];
  user: User;
};

export type BreakerState =
  | 'CLOSED'
  | 'HALF_OPEN'
  | 'OPEN';

export type Budget = {
  __typename?: 'Budget';
  monthlyLimit?: Maybe<Scalars['Float']['output']>;
  /** null without a limit. */
  remaining?: Maybe<Scalars['Float']['output']>;
  spentThisMonth: Scalars['Float']['output'];
};

export type ChatMessageInput = {
  content: Scalars['String']['input'];
  role: ChatRole;
};

export type ChatRole =
  | 'ASSISTANT'
  | 'SYSTEM'
  | 'USER';

export type Completion = {
  __typename?: 'Completion';
  /** US dollars. */
  cost: Scalars['Float']['output'];
  fallbacksTried: Array<FallbackAttempt>;
  finishReason: FinishReason;
  id: Scalars['ID']['output'];
  latencyMs: Scalars['Int']['output'];
  model: Model;
  provider: Provider;
  text: Scalars['String']['output'];
  usage: TokenUsage;
};

/** A piece of a streamed completion: deltas in order, then one final event with usage and cost. */
export type CompletionChunk = {
  __typename?: 'CompletionChunk';
  completionId: Scalars['ID']['output'];
  cost?: Maybe<Scalars['Float']['output']>;
  delta: Scalars['String']['output'];
  done: Scalars['Boolean']['output'];
  fallbacksTried?: Maybe<Array<FallbackAttempt>>;
  finishReason?: Maybe<FinishReason>;
  index: Scalars['Int']['output'];
  latencyMs?: Maybe<Scalars['Int']['output']>;
  model?: Maybe<Model>;
  provider?: Maybe<Provider>;
  /** On the final event only. */
  usage?: Maybe<TokenUsage>;
};

/** A completion attempt that ended: what it used and cost. */
export type CompletionEvent = {
  __typename?: 'CompletionEvent';
  cost: Scalars['Float']['output'];
  /** When the completion ended. */
  endedAt: Scalars['DateTime']['output'];
  latencyMs: Scalars['Int']['output'];
  model?: Maybe<Model>;
  provider?: Maybe<Provider>;
  status: CompletionStatus;
  streamed: Scalars['Boolean']['output'];
  usage: TokenUsage;
  /** Who requested the completion; resolved by the security subgraph (null if it is down). */
  user?: Maybe<User>;
};

export type CompletionInput = {
  /** With modelId: the models to fail over to, in order. */
  fallbackModelIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** 1 to 100,000. */
  maxTokens?: InputMaybe<Scalars['Int']['input']>;
  /** 1 to 500 messages. */
  messages: Array<ChatMessageInput>;
  /** A model to use; without it one is selected by requirements and strategy. */
  modelId?: InputMaybe<Scalars['ID']['input']>;
  requirements?: InputMaybe<ModelRequirements>;
  strategy?: InputMaybe<SelectionStrategy>;
  /** 0 to 2. */
  temperature?: InputMaybe<Scalars['Float']['input']>;
};

export type CompletionStatus =
  | 'CANCELLED'
  | 'ERROR'
  | 'OK';

export type CompressContextInput = {
  /** Memories to compress, in this order (oldest first). */
  memoryIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Texts to compress, oldest first; give these or memoryIds. */
  messages?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The most tokens the result may hold. */
  tokenBudget: Scalars['Int']['input'];
};

/** A compressed text within a token budget, with what was kept and dropped. */
export type CompressedContext = {
  __typename?: 'CompressedContext';
  dropped: Array<ContextSentence>;
  kept: Array<ContextSentence>;
  originalTokenCount: Scalars['Int']['output'];
  ratio: Scalars['Float']['output'];
  text: Scalars['String']['output'];
  tokenBudget: Scalars['Int']['output'];
  /** Approximate tokens (about 4 characters each). */
  tokenCount: Scalars['Int']['output'];
};

export type ContextSentence = {
  __typename?: 'ContextSentence';
  /** The memory it came from, when memories were compressed. */
  memory?: Maybe<Memory>;
  /** The index of the message it came from, when messages were compressed. */
  messageIndex?: Maybe<Scalars['Int']['output']>;
  score: Scalars['Float']['output'];
  text: Scalars['String']['output'];
  tokens: Scalars['Int']['output'];
};

export type CreateDocumentInput = {
  /** Up to 1 MiB of UTF-8. */
  content: Scalars['String']['input'];
  /** 1 to 200 characters. */
  title: Scalars['String']['input'];
};

export type CreateFoldInput = {
  /** 1 to 1,000,000; default 10,000. */
  capacity?: InputMaybe<Scalars['Int']['input']>;
  /** 1 to 200 characters. */
  name: Scalars['String']['input'];
  policy?: InputMaybe<FoldPolicy>;
};

export type CreateMemoryInput = {
  /** Not blank; at most the configured maximum length. */
  content: Scalars['String']['input'];
  /** Return an existing memory of the fold within the deduplication distance instead of creating one. Default: the server's setting. */
  deduplicate?: InputMaybe<Scalars['Boolean']['input']>;
  /** A vector of the embedder's dimension instead of the server's embedding. */
  embedding?: InputMaybe<Array<Scalars['Float']['input']>>;
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  foldId?: InputMaybe<Scalars['ID']['input']>;
  /** A JSON object; default {}. */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** A memory of the same fold (or none, if this one has no fold). */
  parentId?: InputMaybe<Scalars['ID']['input']>;
};

export type CreateModelInput = {
  capabilities: Array<ModelCapability>;
  /** 1 or more. */
  contextWindow: Scalars['Int']['input'];
  /** 0 or more. */
  inputPricePerMillion: Scalars['Float']['input'];
  /** 1 to 200 characters; unique within the provider. */
  name: Scalars['String']['input'];
  /** 0 or more. */
  outputPricePerMillion: Scalars['Float']['input'];
  providerId: Scalars['ID']['input'];
};

export type CreateProviderInput = {
  /** Stored, never returned. */
  apiKey?: InputMaybe<Scalars['String']['input']>;
  /** An http or https URL. */
  baseUrl?: InputMaybe<Scalars['String']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  kind: ProviderKind;
  /** 1 to 100 characters; unique across providers. */
  name: Scalars['String']['input'];
  /** 1 or more; omit for no limit. */
  rateLimitPerMinute?: InputMaybe<Scalars['Int']['input']>;
  /** 0 or more. */
  weight?: InputMaybe<Scalars['Int']['input']>;
};

export type CreateVisualizationInput = {
  kind: VisualizationKind;
  /** A JSON object. */
  spec: Scalars['JSON']['input'];
  /** 1 to 200 characters. */
  title: Scalars['String']['input'];
};

export type DistanceMetric =
  | 'COSINE'
  | 'INNER_PRODUCT'
  | 'L2';

/** A document its owner writes; visible only to its owner. */
export type Document = {
  __typename?: 'Document';
  content: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Null when the security subgraph cannot be reached. */
  owner?: Maybe<User>;
  title: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** Starts at 1 and grows by one with every update; send it back as expectedVersion. */
  version: Scalars['Int']['output'];
};

/** A model that was tried and failed before the one that answered. */
export type FallbackAttempt = {
  __typename?: 'FallbackAttempt';
  code: Scalars['String']['output'];
  message: Scalars['String']['output'];
  model?: Maybe<Model>;
};

export type FinishReason =
  | 'CANCELLED'
  | 'CONTENT_FILTER'
  | 'ERROR'
  | 'LENGTH'
  | 'STOP'
  | 'TOOL_CALLS';

/** A bounded collection of memories. */
export type Fold = {
  __typename?: 'Fold';
  /** The most memories the fold holds. */
  capacity: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  createdBy?: Maybe<User>;
  id: Scalars['ID']['output'];
  /** Newest first. */
  memories: MemoryConnection;
  memoryCount: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  policy: FoldPolicy;
  /** One summary memory per level, lowest level first. */
  summaries: Array<Memory>;
  /** Clusters of the fold's memories by meaning, labelled by their most distinctive terms. */
  topics: Array<Topic>;
  updatedAt: Scalars['DateTime']['output'];
};


/** A bounded collection of memories. */
export type FoldMemoriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A bounded collection of memories. */
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

export type FoldSort = {
  direction?: SortDirection;
  field?: FoldSortField;
};

export type FoldSortField =
  | 'CREATED_AT'
  | 'NAME';

export type HealthState =
  | 'DEGRADED'
  | 'HEALTHY'
  | 'UNHEALTHY'
  /** Not called yet since this service started. */
  | 'UNKNOWN';

export type LoginInput = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};

/** Something an agent or a person stored to find again by meaning. */
export type Memory = {
  __typename?: 'Memory';
  /** From the root down to the parent. */
  ancestors: Array<Memory>;
  /** The memories directly below this one, oldest first. */
  children: Array<Memory>;
  content: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** Resolved by the security subgraph; null if it is unavailable. */
  createdBy?: Maybe<User>;
  /** 0 for a root. */
  depth: Scalars['Int']['output'];
  /** The embedder that made its vector (kind:model:dimensions), or 'client' for a vector sent by the client. */
  embeddingModel: Scalars['String']['output'];
  /** After this the memory is never returned, and it is purged. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** The fold that holds the memory; null if it is in none. */
  fold?: Maybe<Fold>;
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
  updatedAt: Scalars['DateTime']['output'];
};


/** Something an agent or a person stored to find again by meaning. */
export type MemoryChildrenArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Something an agent or a person stored to find again by meaning. */
export type MemorySimilarArgs = {
  metric?: InputMaybe<DistanceMetric>;
  minScore?: InputMaybe<Scalars['Float']['input']>;
  topK?: InputMaybe<Scalars['Int']['input']>;
};

export type MemoryConnection = {
  __typename?: 'MemoryConnection';
  edges: Array<MemoryEdge>;
  /** The nodes of the edges, for clients that need no cursors. */
  nodes: Array<Memory>;
  pageInfo: PageInfo;
};

export type MemoryEdge = {
  __typename?: 'MemoryEdge';
  cursor: Scalars['String']['output'];
  node: Memory;
};

export type MemoryEvent = {
  __typename?: 'MemoryEvent';
  foldId?: Maybe<Scalars['ID']['output']>;
  /** The memory as it is now; null once deleted. */
  memory?: Maybe<Memory>;
  memoryId: Scalars['ID']['output'];
  type: MemoryEventType;
};

export type MemoryEventType =
  | 'CREATED'
  | 'DELETED'
  | 'UPDATED';

export type MemoryFilter = {
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
  memory: Memory;
  /** Higher is closer: 1 - distance for cosine, 1 / (1 + distance) for L2, the inner product for INNER_PRODUCT. */
  score: Scalars['Float']['output'];
};

export type MemorySort = {
  direction?: SortDirection;
  field?: MemorySortField;
};

export type MemorySortField =
  | 'CREATED_AT'
  | 'UPDATED_AT';

export type MetadataEquality = {
  key: Scalars['String']['input'];
  value: Scalars['JSON']['input'];
};

/** A model served by a provider. */
export type Model = {
  __typename?: 'Model';
  capabilities: Array<ModelCapability>;
  /** Tokens of prompt and completion together. */
  contextWindow: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  /** US dollars per million input tokens. */
  inputPricePerMillion: Scalars['Float']['output'];
  /** The provider's own name for it, e.g. gpt-4o-mini; unique within its provider. */
  name: Scalars['String']['output'];
  /** US dollars per million output tokens. */
  outputPricePerMillion: Scalars['Float']['output'];
  provider: Provider;
};

/** What a model can do. */
export type ModelCapability =
  | 'CHAT'
  | 'EMBEDDINGS'
  | 'JSON'
  | 'TOOLS'
  | 'VISION';

export type ModelRequirements = {
  /** Default: CHAT. */
  capabilities?: InputMaybe<Array<ModelCapability>>;
  maxInputPricePerMillion?: InputMaybe<Scalars['Float']['input']>;
  maxOutputPricePerMillion?: InputMaybe<Scalars['Float']['input']>;
  minContextWindow?: InputMaybe<Scalars['Int']['input']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** A completion, with failover (scope provider:complete; checked against the caller's budget). */
  complete: Completion;
  /** Needs ui:write. */
  createDocument: Document;
  createFold: Fold;
  /** All or none, in one transaction (scope memory:write). */
  createMemories: Array<Memory>;
  /** Scope memory:write. */
  createMemory: Memory;
  /** Needs the scope provider:admin. */
  createModel: Model;
  /** Needs the scope provider:admin. */
  createProvider: Provider;
  /** Needs ui:write. */
  createVisualization: Visualization;
  /** Without deleteMemories its memories stay, outside any fold. Returns the id. */
  deleteFold: Scalars['ID']['output'];
  /** Its children become roots. Returns the id. */
  deleteMemory: Scalars['ID']['output'];
  /** Needs the scope provider:admin. */
  deleteModel: Scalars['ID']['output'];
  /** Deletes the provider and its models; usage records keep their figures (provider:admin). */
  deleteProvider: Scalars['ID']['output'];
  /** Exchanges an email and password for a token. */
  login: AuthPayload;
  /** Needs tools:admin. */
  registerTool: Tool;
  /** Sets a user's monthly spending limit in US dollars (scope provider:admin). */
  setBudget: Budget;
  /** Creates or replaces the fold's summary memory of a level. */
  setFoldSummary: Memory;
  /** Needs tools:admin. */
  setToolEnabled: Tool;
  /** Creates a user with the default role and returns a token for it. */
  signUp: AuthPayload;
  /** Needs ui:write; only the owner may update. */
  updateDocument: Document;
  updateFold: Fold;
  updateMemory: Memory;
  /** Changes only the fields given (provider:admin). */
  updateModel: Model;
  /** Changes only the fields given; null clears baseUrl, apiKey or rateLimitPerMinute (provider:admin). */
  updateProvider: Provider;
};


export type MutationCompleteArgs = {
  input: CompletionInput;
};


export type MutationCreateDocumentArgs = {
  input: CreateDocumentInput;
};


export type MutationCreateFoldArgs = {
  input: CreateFoldInput;
};


export type MutationCreateMemoriesArgs = {
  inputs: Array<CreateMemoryInput>;
};


export type MutationCreateMemoryArgs = {
  input: CreateMemoryInput;
};


export type MutationCreateModelArgs = {
  input: CreateModelInput;
};


export type MutationCreateProviderArgs = {
  input: CreateProviderInput;
};


export type MutationCreateVisualizationArgs = {
  input: CreateVisualizationInput;
};


export type MutationDeleteFoldArgs = {
  deleteMemories?: InputMaybe<Scalars['Boolean']['input']>;
  id: Scalars['ID']['input'];
};


export type MutationDeleteMemoryArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteModelArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteProviderArgs = {
  id: Scalars['ID']['input'];
};


export type MutationLoginArgs = {
  input: LoginInput;
};


export type MutationRegisterToolArgs = {
  input: RegisterToolInput;
};


export type MutationSetBudgetArgs = {
  monthlyLimit: Scalars['Float']['input'];
  userId: Scalars['ID']['input'];
};


export type MutationSetFoldSummaryArgs = {
  input: SetFoldSummaryInput;
};


export type MutationSetToolEnabledArgs = {
  enabled: Scalars['Boolean']['input'];
  id: Scalars['ID']['input'];
};


export type MutationSignUpArgs = {
  input: SignUpInput;
};


export type MutationUpdateDocumentArgs = {
  input: UpdateDocumentInput;
};


export type MutationUpdateFoldArgs = {
  input: UpdateFoldInput;
};


export type MutationUpdateMemoryArgs = {
  input: UpdateMemoryInput;
};


export type MutationUpdateModelArgs = {
  input: UpdateModelInput;
};


export type MutationUpdateProviderArgs = {
  input: UpdateProviderInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** An AI provider: where completions are sent, with which credentials. */
export type Provider = {
  __typename?: 'Provider';
  /** Where the provider's API is served; null for the default of its kind. */
  baseUrl?: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTime']['output'];
  enabled: Scalars['Boolean']['output'];
  /** Whether an API key is stored; the key itself is never returned. */
  hasApiKey: Scalars['Boolean']['output'];
  /** How calls to the provider have been going, from this service's view. */
  health: ProviderHealth;
  id: Scalars['ID']['output'];
  kind: ProviderKind;
  models: Array<Model>;
  /** Unique across providers. */
  name: Scalars['String']['output'];
  /** Requests per minute sent at most (token bucket); null for no limit. */
  rateLimitPerMinute?: Maybe<Scalars['Int']['output']>;
  /** Relative share of traffic among eligible providers; 0 takes none. */
  weight: Scalars['Int']['output'];
};

export type ProviderHealth = {
  __typename?: 'ProviderHealth';
  breaker: BreakerState;
  consecutiveFailures: Scalars['Int']['output'];
  inFlight: Scalars['Int']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  p50LatencyMs?: Maybe<Scalars['Float']['output']>;
  p95LatencyMs?: Maybe<Scalars['Float']['output']>;
  state: HealthState;
  /** Successful share of the recent calls, 0 to 1; null before the first call. */
  successRate?: Maybe<Scalars['Float']['output']>;
  /** Successful calls since start, in percent; null before the first call. */
  uptimePercent?: Maybe<Scalars['Float']['output']>;
};

/** The wire protocol a provider speaks. */
export type ProviderKind =
  | 'ANTHROPIC'
  /** Answers without a network: a development aid. */
  | 'OFFLINE_ECHO'
  /** Any server with the OpenAI chat completions API (OpenAI, vLLM, Ollama, LM Studio...). */
  | 'OPENAI_COMPATIBLE';

export type Query = {
  __typename?: 'Query';
  /** Compresses messages or memories into a text within a token budget (scope memory:read). */
  compressContext: CompressedContext;
  /** Needs ui:read. Null unless the document exists and the caller owns it. */
  document?: Maybe<Document>;
  /** Needs ui:read. The caller's own documents, newest first; first is 1 to 100. */
  documents: Array<Document>;
  /** The original memories behind a compressed context, in the order asked (null where unknown). */
  expandContext: Array<Maybe<Memory>>;
  fold?: Maybe<Fold>;
  /** The caller's folds (scope memory:read). */
  folds: Array<Fold>;
  /** The signed-in user, or null without a token. */
  me?: Maybe<User>;
  /** The caller's memories, with cursor pagination (scope memory:read). */
  memories: MemoryConnection;
  /** One of the caller's memories (scope memory:read). */
  memory?: Maybe<Memory>;
  /** Models of every provider, or only those with the given capability. */
  models: Array<Model>;
  /** The caller's budget and spending this month (scope provider:read). */
  myBudget: Budget;
  provider?: Maybe<Provider>;
  providers: Array<Provider>;
  /** The caller's memories nearest to a text or a vector (scope memory:read). */
  searchMemories: Array<MemorySearchHit>;
  /** The model the strategy would choose now, or null if none is eligible. */
  selectModel?: Maybe<Model>;
  /** Needs tools:read. */
  tool?: Maybe<Tool>;
  /** Needs tools:read. */
  toolByName?: Maybe<Tool>;
  /** Needs tools:read. Tools by name; first is 1 to 200. */
  tools: Array<Tool>;
  /** The caller's usage (scope provider:read); all users' with provider:admin and allUsers. */
  usage: Array<UsageSummary>;
  user?: Maybe<User>;
  /** Needs ui:read. */
  visualization?: Maybe<Visualization>;
  /** Needs ui:read. The caller's own visualizations, newest first; first is 1 to 100. */
  visualizations: Array<Visualization>;
};


export type QueryCompressContextArgs = {
  input: CompressContextInput;
};


export type QueryDocumentArgs = {
  id: Scalars['ID']['input'];
};


export type QueryDocumentsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryExpandContextArgs = {
  memoryIds: Array<Scalars['ID']['input']>;
};


export type QueryFoldArgs = {
  id: Scalars['ID']['input'];
};


export type QueryFoldsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<FoldSort>;
};


export type QueryMemoriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<MemoryFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<MemorySort>;
};


export type QueryMemoryArgs = {
  id: Scalars['ID']['input'];
};


export type QueryModelsArgs = {
  capability?: InputMaybe<ModelCapability>;
};


export type QueryProviderArgs = {
  id: Scalars['ID']['input'];
};


export type QuerySearchMemoriesArgs = {
  input: SearchMemoriesInput;
};


export type QuerySelectModelArgs = {
  requirements?: InputMaybe<ModelRequirements>;
  strategy?: InputMaybe<SelectionStrategy>;
};


export type QueryToolArgs = {
  id: Scalars['ID']['input'];
};


export type QueryToolByNameArgs = {
  name: Scalars['String']['input'];
};


export type QueryToolsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryUsageArgs = {
  allUsers?: InputMaybe<Scalars['Boolean']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  groupBy: UsageGroupBy;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


export type QueryVisualizationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryVisualizationsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type RegisterToolInput = {
  /** 1 to 2,000 characters. */
  description: Scalars['String']['input'];
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** A JSON object. */
  inputSchema: Scalars['JSON']['input'];
  /** A lowercase letter, then up to 63 of a-z, 0-9, _ and -; unique. */
  name: Scalars['String']['input'];
};

export type SearchMemoriesInput = {
  filter?: InputMaybe<MemoryFilter>;
  metric?: InputMaybe<DistanceMetric>;
  /** Hits scoring lower are left out. */
  minScore?: InputMaybe<Scalars['Float']['input']>;
  /** Embedded by the server's embedder; give this or vector. */
  text?: InputMaybe<Scalars['String']['input']>;
  /** 1 to the configured maximum (default 1,000). */
  topK?: InputMaybe<Scalars['Int']['input']>;
  /** A vector of the embedder's dimension. */
  vector?: InputMaybe<Array<Scalars['Float']['input']>>;
};

export type SelectionStrategy =
  /** Fewest requests in flight. */
  | 'LEAST_LOADED'
  /** Lowest input plus output price. */
  | 'LOWEST_COST'
  /** Lowest median latency seen. */
  | 'LOWEST_LATENCY'
  | 'RANDOM'
  | 'ROUND_ROBIN'
  /** Random, in proportion to the providers' weights. */
  | 'WEIGHTED_RANDOM';

export type SetFoldSummaryInput = {
  content: Scalars['String']['input'];
  foldId: Scalars['ID']['input'];
  /** 0 or more. */
  level: Scalars['Int']['input'];
};

export type SignUpInput = {
  /** Shown to others; defaults to the part of the email before @. */
  displayName?: InputMaybe<Scalars['String']['input']>;
  /** A valid email address; unique across users. */
  email: Scalars['String']['input'];
  /** 8 to 256 characters. */
  password: Scalars['String']['input'];
};

export type SortDirection =
  | 'ASC'
  | 'DESC';

export type Subscription = {
  __typename?: 'Subscription';
  /** The caller's completions as each one ends, streamed or not, from any replica (scope provider:read). */
  completionEvents: CompletionEvent;
  /** A streamed completion (scope provider:complete); unsubscribing aborts the upstream request. */
  completionStream: CompletionChunk;
  /** Changes to the caller's memories, of one fold or of all (scope memory:read). */
  memoryEvents: MemoryEvent;
};


export type SubscriptionCompletionStreamArgs = {
  input: CompletionInput;
};


export type SubscriptionMemoryEventsArgs = {
  foldId?: InputMaybe<Scalars['ID']['input']>;
};

export type TokenUsage = {
  __typename?: 'TokenUsage';
  completionTokens: Scalars['Int']['output'];
  promptTokens: Scalars['Int']['output'];
  totalTokens: Scalars['Int']['output'];
};

/** A tool that models may call, described by a JSON Schema of its input. */
export type Tool = {
  __typename?: 'Tool';
  createdAt: Scalars['DateTime']['output'];
  /** Null when the security subgraph cannot be reached. */
  createdBy?: Maybe<User>;
  /** What the tool does, for the model that chooses it. */
  description: Scalars['String']['output'];
  /** Disabled tools are kept but not offered. */
  enabled: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  /** A JSON Schema (a JSON object) of the tool's arguments. */
  inputSchema: Scalars['JSON']['output'];
  /** Unique; a lowercase letter, then up to 63 of a-z, 0-9, _ and -. */
  name: Scalars['String']['output'];
};

/** A cluster of memories of one fold. */
export type Topic = {
  __typename?: 'Topic';
  id: Scalars['ID']['output'];
  /** The most distinctive terms, joined by commas. */
  label: Scalars['String']['output'];
  memories: Array<Memory>;
  size: Scalars['Int']['output'];
  terms: Array<Scalars['String']['output']>;
};

export type UpdateDocumentInput = {
  /** Up to 1 MiB of UTF-8; unchanged when absent. */
  content?: InputMaybe<Scalars['String']['input']>;
  /** The version the change was made on; if the document has moved on, nothing is written (CONFLICT). */
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  /** 1 to 200 characters; unchanged when absent. */
  title?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateFoldInput = {
  capacity?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  policy?: InputMaybe<FoldPolicy>;
};

export type UpdateMemoryInput = {
  content?: InputMaybe<Scalars['String']['input']>;
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Moves the memory (and nothing else) to this fold; null takes it out of its fold. */
  foldId?: InputMaybe<Scalars['ID']['input']>;
  id: Scalars['ID']['input'];
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** null makes it a root. */
  parentId?: InputMaybe<Scalars['ID']['input']>;
};

export type UpdateModelInput = {
  capabilities?: InputMaybe<Array<ModelCapability>>;
  contextWindow?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  inputPricePerMillion?: InputMaybe<Scalars['Float']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  outputPricePerMillion?: InputMaybe<Scalars['Float']['input']>;
};

export type UpdateProviderInput = {
  /** Stored sealed, never returned; null removes it. */
  apiKey?: InputMaybe<Scalars['String']['input']>;
  baseUrl?: InputMaybe<Scalars['String']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  rateLimitPerMinute?: InputMaybe<Scalars['Int']['input']>;
  weight?: InputMaybe<Scalars['Int']['input']>;
};

export type UsageGroupBy =
  | 'DAY'
  | 'MODEL'
  | 'PROVIDER'
  | 'USER';

export type UsageSummary = {
  __typename?: 'UsageSummary';
  completionTokens: Scalars['Int']['output'];
  cost: Scalars['Float']['output'];
  errors: Scalars['Int']['output'];
  /** The provider id, model id, user id or day (YYYY-MM-DD) of the group. */
  key: Scalars['String']['output'];
  promptTokens: Scalars['Int']['output'];
  requests: Scalars['Int']['output'];
};

/** A user of the platform, owned by the security subgraph. */
export type User = {
  __typename?: 'User';
  createdAt: Scalars['DateTime']['output'];
  displayName: Scalars['String']['output'];
  /**
   * The user's documents, newest first; empty unless the caller is that user. Nullable so
   * that the rest of a User survives an outage of this subgraph.
   */
  documents?: Maybe<Array<Document>>;
  /** Visible to the user themself and to administrators; null for everyone else. */
  email?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Names of the roles granted to the user; visible to the user themself and to administrators, null for everyone else. */
  roles?: Maybe<Array<Scalars['String']['output']>>;
  /** The user's visualizations, newest first. */
  visualizations?: Maybe<Array<Visualization>>;
};

/** A chart, graph, table or timeline described by a renderer-specific JSON spec. */
export type Visualization = {
  __typename?: 'Visualization';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  kind: VisualizationKind;
  /** Null when the security subgraph cannot be reached. */
  owner?: Maybe<User>;
  /** A JSON object, e.g. a Vega-Lite spec. */
  spec: Scalars['JSON']['output'];
  title: Scalars['String']['output'];
};

export type VisualizationKind =
  | 'CHART'
  | 'GRAPH'
  | 'TABLE'
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