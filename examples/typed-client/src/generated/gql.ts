/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n      user {\n        id\n      }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation CreateMemory($input: CreateMemoryInput!) {\n    createMemory(input: $input) {\n      id\n      content\n    }\n  }\n": typeof types.CreateMemoryDocument,
    "\n  mutation CreateDocument($input: CreateDocumentInput!) {\n    createDocument(input: $input) {\n      id\n      title\n    }\n  }\n": typeof types.CreateDocumentDocument,
    "\n  query MemoriesWithAuthors($first: Int!) {\n    memories(first: $first) {\n      nodes {\n        id\n        content\n        createdBy {\n          id\n          displayName\n          email\n          documents {\n            id\n            title\n          }\n        }\n      }\n    }\n  }\n": typeof types.MemoriesWithAuthorsDocument,
    "\n  subscription CompletionStream($input: CompletionInput!) {\n    completionStream(input: $input) {\n      index\n      delta\n      done\n      finishReason\n      usage {\n        completionTokens\n      }\n      model {\n        id\n        name\n      }\n    }\n  }\n": typeof types.CompletionStreamDocument,
};
const documents: Documents = {
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n      user {\n        id\n      }\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation CreateMemory($input: CreateMemoryInput!) {\n    createMemory(input: $input) {\n      id\n      content\n    }\n  }\n": types.CreateMemoryDocument,
    "\n  mutation CreateDocument($input: CreateDocumentInput!) {\n    createDocument(input: $input) {\n      id\n      title\n    }\n  }\n": types.CreateDocumentDocument,
    "\n  query MemoriesWithAuthors($first: Int!) {\n    memories(first: $first) {\n      nodes {\n        id\n        content\n        createdBy {\n          id\n          displayName\n          email\n          documents {\n            id\n            title\n          }\n        }\n      }\n    }\n  }\n": types.MemoriesWithAuthorsDocument,
    "\n  subscription CompletionStream($input: CompletionInput!) {\n    completionStream(input: $input) {\n      index\n      delta\n      done\n      finishReason\n      usage {\n        completionTokens\n      }\n      model {\n        id\n        name\n      }\n    }\n  }\n": types.CompletionStreamDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n      user {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n      user {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateMemory($input: CreateMemoryInput!) {\n    createMemory(input: $input) {\n      id\n      content\n    }\n  }\n"): (typeof documents)["\n  mutation CreateMemory($input: CreateMemoryInput!) {\n    createMemory(input: $input) {\n      id\n      content\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateDocument($input: CreateDocumentInput!) {\n    createDocument(input: $input) {\n      id\n      title\n    }\n  }\n"): (typeof documents)["\n  mutation CreateDocument($input: CreateDocumentInput!) {\n    createDocument(input: $input) {\n      id\n      title\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MemoriesWithAuthors($first: Int!) {\n    memories(first: $first) {\n      nodes {\n        id\n        content\n        createdBy {\n          id\n          displayName\n          email\n          documents {\n            id\n            title\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MemoriesWithAuthors($first: Int!) {\n    memories(first: $first) {\n      nodes {\n        id\n        content\n        createdBy {\n          id\n          displayName\n          email\n          documents {\n            id\n            title\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CompletionStream($input: CompletionInput!) {\n    completionStream(input: $input) {\n      index\n      delta\n      done\n      finishReason\n      usage {\n        completionTokens\n      }\n      model {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription CompletionStream($input: CompletionInput!) {\n    completionStream(input: $input) {\n      index\n      delta\n      done\n      finishReason\n      usage {\n        completionTokens\n      }\n      model {\n        id\n        name\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;