// The rows the four benchmark subgraphs serve: small, fixed and shaped like those of The Guild's
// graphql-gateways-benchmark (6 users, 9 products, 11 reviews with bodies of a few hundred
// characters) so that the deep query's answer weighs about as much as theirs.

export interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}

export interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}

export interface Review {
  id: string;
  body: string;
  productUpc: string;
}

const BIRTHDAY = 1_234_567_890;

export const USERS: User[] = [
  ['Ada Byron', 'ada'],
  ['Alan Turing', 'alan'],
  ['Grace Hopper', 'grace'],
  ['Edsger Dijkstra', 'edsger'],
  ['Barbara Liskov', 'barbara'],
  ['Donald Knuth', 'donald'],
].map(([name, username], index) => ({
  id: String(index + 1),
  name: name!,
  username: username!,
  birthday: BIRTHDAY,
}));

export const PRODUCTS: Product[] = [
  ['Desk', 899, 100],
  ['Armchair', 1299, 1000],
  ['Mug', 15, 20],
  ['Stool', 499, 100],
  ['Radio', 1299, 1000],
  ['Lantern', 6999, 300],
  ['Oven', 3999, 2000],
  ['Freezer', 100_000, 6000],
  ['Bench', 9999, 800],
].map(([name, price, weight], index) => ({
  upc: String(index + 1),
  name: name as string,
  price: price as number,
  weight: weight as number,
}));

/** Products in stock, by upc (the inventory subgraph's own field). */
export const IN_STOCK = new Set(['1', '5', '6', '7', '9']);

// Bodies of about 140 to 900 characters, as in the reference workload.
const SHORT =
  'Sturdy enough for daily use, arrived on time and well packed; the finish is even and the ' +
  'instructions were clear. Would order again.';
const MEDIUM =
  'We have had this in the kitchen for three months now and it still looks new. Assembly took ' +
  'twenty minutes with the tools in the box, the parts lined up without forcing anything, and ' +
  'the colour matches the photos.';
const LONG =
  'Bought this after comparing a dozen others in the same price range, and the difference shows ' +
  'in the details: the joints are tight, the edges are rounded, the surface does not mark when ' +
  'something hot is set on it, and the packaging could be recycled without sorting. Delivery ' +
  'was booked for a morning window and came inside it.';
const VERY_LONG =
  'A long review, because the short ones did not help me decide. The first week it sat in the ' +
  'hallway while we made room, and even then the box kept the corners safe. Setting it up was ' +
  'a job for two people but not for a whole afternoon. What I like most is that it does one ' +
  'thing and does it well: no wobble, no squeak, no smell from the varnish. What I like less ' +
  'is the price of the matching accessories, which feel like an afterthought compared with the ' +
  'main piece. After half a year of use by a family of four, two cats and one very curious ' +
  'toddler, there is a single scratch that only shows in low evening light. If it breaks I will ' +
  'write again; until then, five stars and a recommendation to anyone who can wait for a sale ' +
  'and has a friend to help with the lifting on delivery day.';

export const REVIEWS: Review[] = [
  [LONG, '1'],
  [MEDIUM, '1'],
  [MEDIUM, '1'],
  [SHORT, '1'],
  [LONG, '2'],
  [MEDIUM, '2'],
  [MEDIUM, '2'],
  [SHORT, '2'],
  [SHORT, '3'],
  [SHORT, '4'],
  [VERY_LONG, '4'],
].map(([body, productUpc], index) => ({
  id: String(index + 1),
  body: body!,
  productUpc: productUpc!,
}));

/** Every user's reviews, as in the reference workload: the same first two. */
export const USER_REVIEWS = REVIEWS.slice(0, 2);

/** The author of every review (the reference workload gives them all one author). */
export const AUTHOR = USERS[0]!;
