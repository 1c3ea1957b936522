// The custom scalars the subgraphs share, implemented by graphql-scalars.
import { DateTimeResolver, JSONObjectResolver, JSONResolver } from 'graphql-scalars';

export const scalarResolvers = {
  DateTime: DateTimeResolver,
  JSON: JSONResolver,
  JSONObject: JSONObjectResolver,
};
