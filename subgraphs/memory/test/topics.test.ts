import { assignTopic, findTopics, type TopicItem } from '../src/topics.js';
import { contentTerms, normalize } from '../src/text.js';

// Deterministic stand-in for the embedder: bag of words hashed (FNV-1a) into 256 dims, few enough collisions that groups stay apart.
const DIMS = 256;
function hashEmbed(text: string): number[] {
  const v = new Array<number>(DIMS).fill(0);
  for (const word of contentTerms(text)) {
    let h = 0x811c9dc5;
    for (const ch of word) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    v[h % DIMS] = (v[h % DIMS] ?? 0) + 1;
  }
  return normalize(v);
}

const GROUPS = {
  cooking: [
    'This recipe needs garlic, butter and a hot oven to roast the chicken.',
    'Grandma wrote the soup recipe: simmer onions, garlic and stock in the oven pot.',
    'The bread recipe says to knead the dough and bake it in the oven.',
    'A quick pasta recipe with garlic, olive oil and fresh basil.',
    'Roast the vegetables in the oven; the recipe adds garlic at the end.',
    'My cake recipe uses butter, sugar and eggs baked in a slow oven.',
  ],
  football: [
    'The striker scored a late goal and the team won the match.',
    'Our team conceded a goal in the first half of the match.',
    'The goalkeeper saved a penalty but the team still lost the match.',
    'A header goal from the corner gave the team the lead in the match.',
    'The referee disallowed the goal and the match ended in a draw for the team.',
    'The team trained penalty kicks before the cup match to score a goal.',
  ],
  databases: [
    'Add an index on the email column so the query avoids a table scan.',
    'The query planner ignored the index and scanned the whole table.',
    'A composite index speeds up the query that joins the orders table.',
    'Rebuild the index after bulk loading rows into the table.',
    'The slow query needed an index on the table foreign key column.',
    'Vacuum the table and check that the query uses the new index.',
  ],
};
const items: TopicItem[] = Object.entries(GROUPS).flatMap(([group, texts]) =>
  texts.map((text, i) => ({ id: `${group}-${i}`, text, vector: hashEmbed(text) })),
);
const groupOf = (id: string) => id.split('-')[0];

describe('findTopics', () => {
  it('finds the three groups and labels each by a characteristic term', () => {
    const topics = findTopics({ items });
    expect(topics).toHaveLength(3);
    const byGroup = new Map(topics.map((t) => [groupOf(t.memberIds[0]!), t]));
    for (const [group, texts] of Object.entries(GROUPS)) {
      const topic = byGroup.get(group)!;
      expect([...topic.memberIds].sort()).toEqual(texts.map((_, i) => `${group}-${i}`).sort());
      expect(topic.size).toBe(texts.length);
    }
    expect(byGroup.get('cooking')!.terms).toContain('recipe');
    expect(byGroup.get('football')!.terms).toContain('goal');
    expect(byGroup.get('databases')!.terms).toContain('index');
    for (const topic of topics) {
      expect(topic.terms).toHaveLength(3);
      expect(topic.label).toBe(topic.terms.join(', '));
      expect(topic.terms.every((t) => t.length >= 3 && t !== 'the')).toBe(true);
    }
    expect(topics.map((t) => t.id)).toEqual(['topic-0', 'topic-1', 'topic-2']);
  });

  it('gives identical output for identical input and seed', () => {
    expect(findTopics({ items })).toEqual(findTopics({ items }));
    expect(findTopics({ items, seed: 7 })).toEqual(findTopics({ items, seed: 7 }));
  });

  it('respects an explicit k and covers every item exactly once', () => {
    for (const k of [1, 2, 5]) {
      const topics = findTopics({ items, k });
      expect(topics).toHaveLength(k);
      const ids = topics.flatMap((t) => t.memberIds).sort();
      expect(ids).toEqual(items.map((i) => i.id).sort());
      const sizes = topics.map((t) => t.size);
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    }
  });

  it('returns a single topic when there are fewer than four items', () => {
    const few = [items[0]!, items[6]!, items[12]!];
    const topics = findTopics({ items: few });
    expect(topics).toHaveLength(1);
    expect(topics[0]!.memberIds).toEqual(few.map((i) => i.id));
  });

  it('honours labelTerms and returns [] for no items', () => {
    expect(findTopics({ items, labelTerms: 1 }).every((t) => t.terms.length === 1)).toBe(true);
    expect(findTopics({ items: [] })).toEqual([]);
  });

  it('rejects an invalid k', () => {
    for (const k of [0, -1, 1.5, items.length + 1]) {
      expect(() => findTopics({ items, k })).toThrow(RangeError);
    }
  });
});

describe('assignTopic', () => {
  it('picks the topic with the nearest centroid', () => {
    const topics = findTopics({ items });
    const topicOf = (text: string) => assignTopic(hashEmbed(text), topics)!.memberIds.map(groupOf);
    expect(new Set(topicOf('A new recipe: garlic butter in the oven.'))).toEqual(
      new Set(['cooking']),
    );
    expect(new Set(topicOf('What a goal to win the match!'))).toEqual(new Set(['football']));
    expect(new Set(topicOf('Is the index used by this query on the table?'))).toEqual(
      new Set(['databases']),
    );
  });

  it('returns undefined without topics', () => {
    expect(assignTopic(hashEmbed('anything'), [])).toBeUndefined();
  });
});
