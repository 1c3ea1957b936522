// Values the resolvers pass around that are not database rows.
export interface ContextSentenceModel {
  text: string;
  tokens: number;
  score: number;
  memoryId: string | null;
  messageIndex: number | null;
}
