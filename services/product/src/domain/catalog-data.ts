/** Word lists of the development catalog (catalog-generator.ts). Changing them changes every seeded product. */
export interface CategorySpec {
  name: string;
  /** Part of the seeded skus: SEED-<code>-<index>. */
  code: string;
  /** Price range in whole dollars. */
  dollars: readonly [number, number];
  nouns: readonly string[];
}

const category = (name: string, code: string, dollars: [number, number], nouns: string): CategorySpec => ({
  name,
  code,
  dollars,
  nouns: nouns.split('|'),
});

export const CATEGORIES: readonly CategorySpec[] = [
  category('Electronics', 'ELEC', [15, 400], 'Headphones|Speaker|Charger|Webcam|Router'),
  category('Books', 'BOOK', [8, 60], 'Cookbook|Novel|Atlas|Field Guide|Anthology'),
  category('Home & Kitchen', 'HOME', [12, 250], 'Kettle|Skillet|Blender|Knife Set|Teapot'),
  category('Sports & Outdoors', 'SPRT', [10, 350], 'Tent|Backpack|Yoga Mat|Water Bottle|Headlamp'),
  category('Toys & Games', 'TOYS', [6, 90], 'Puzzle|Board Game|Kite|Building Set|Card Game'),
  category('Beauty', 'BEAU', [4, 120], 'Face Cream|Shampoo|Lip Balm|Hair Brush|Perfume'),
  category('Clothing', 'CLTH', [15, 220], 'Jacket|Sweater|Scarf|Hoodie|Raincoat'),
  category('Garden', 'GARD', [5, 150], 'Trowel|Planter|Hose|Pruner|Bird Feeder'),
  category('Office', 'OFFC', [3, 180], 'Notebook|Desk Lamp|Stapler|Fountain Pen|Organizer'),
  category('Pet Supplies', 'PETS', [5, 160], 'Dog Bed|Cat Tree|Leash|Feeder|Chew Toy'),
  category('Automotive', 'AUTO', [8, 200], 'Dash Cam|Tire Gauge|Seat Cover|Jump Starter|Wax Kit'),
  category('Music', 'MUSC', [6, 300], 'Ukulele|Guitar Strings|Metronome|Harmonica|Drum Pad'),
];

export const ADJECTIVES =
  'Classic|Compact|Deluxe|Eco|Ultra|Smart|Portable|Premium|Essential|Rugged|Vintage|Modern'.split('|');
export const FINISHES = 'Red|Blue|Walnut|Steel|Bamboo|Graphite|Sage|Ivory|Copper|Midnight'.split('|');
export const CLAIMS = [
  'built to last',
  'easy to clean',
  'a customer favourite',
  'great as a gift',
  'light enough to carry anywhere',
  'backed by a two-year warranty',
];
