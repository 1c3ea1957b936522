// The operations this app sends, as `graphql()` documents: codegen reads them and types each
// call (variables and result) from the supergraph's API schema.
import { graphql } from './generated/gql.js';

/** How a person gets a token (README "A query across three subgraphs"). */
export const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      token
      user {
        id
      }
    }
  }
`);

export const CreateMemory = graphql(`
  mutation CreateMemory($input: CreateMemoryInput!) {
    createMemory(input: $input) {
      id
      content
    }
  }
`);

export const CreateDocument = graphql(`
  mutation CreateDocument($input: CreateDocumentInput!) {
    createDocument(input: $input) {
      id
      title
    }
  }
`);

/** memory -> security (User) -> ui (User.documents): one request, three subgraphs. */
export const MemoriesWithAuthors = graphql(`
  query MemoriesWithAuthors($first: Int!) {
    memories(first: $first) {
      nodes {
        id
        content
        createdBy {
          id
          displayName
          email
          documents {
            id
            title
          }
        }
      }
    }
  }
`);

/** Deltas of one completion, then a final event with usage (README "Completions"). */
export const CompletionStream = graphql(`
  subscription CompletionStream($input: CompletionInput!) {
    completionStream(input: $input) {
      index
      delta
      done
      finishReason
      usage {
        completionTokens
      }
      model {
        id
        name
      }
    }
  }
`);
