/**
 * The words the demo tokenizer knows as whole tokens (anything else still tokenizes into
 * byte-level pieces), with what they mean to the demo model.
 */

/** Colour words push the picture's colour: an RGB direction in the decoder's logit space. */
export const COLOUR_WORDS: Readonly<Record<string, readonly [number, number, number]>> = {
  red: [1, -0.6, -0.6],
  crimson: [0.9, -0.7, -0.5],
  orange: [1, 0.2, -0.8],
  yellow: [0.8, 0.8, -0.8],
  gold: [0.8, 0.5, -0.7],
  golden: [0.8, 0.5, -0.7],
  green: [-0.5, 0.8, -0.5],
  emerald: [-0.7, 0.7, -0.2],
  blue: [-0.6, -0.2, 1],
  cyan: [-0.8, 0.5, 0.6],
  teal: [-0.8, 0.3, 0.2],
  turquoise: [-0.6, 0.5, 0.5],
  purple: [0.3, -0.7, 0.8],
  violet: [0.2, -0.6, 0.8],
  pink: [0.9, -0.2, 0.4],
  magenta: [0.8, -0.7, 0.7],
  white: [0.9, 0.9, 0.9],
  black: [-1, -1, -1],
  brown: [0.3, -0.2, -0.6],
  silver: [0.3, 0.35, 0.45],
  dark: [-1.1, -1.1, -1],
  bright: [0.6, 0.6, 0.5],
  pastel: [0.5, 0.45, 0.5],
  night: [-1.1, -1, -0.5],
  sunset: [0.9, 0.1, -0.5],
  sunrise: [0.8, 0.35, -0.2],
  dawn: [0.5, 0.2, 0.1],
  dusk: [0.1, -0.4, 0.1],
  forest: [-0.6, 0.3, -0.6],
  jungle: [-0.5, 0.6, -0.6],
  grass: [-0.3, 0.7, -0.6],
  leaves: [-0.2, 0.6, -0.6],
  ocean: [-0.8, -0.1, 0.7],
  sea: [-0.7, 0.05, 0.6],
  water: [-0.5, 0.05, 0.5],
  lake: [-0.5, 0.1, 0.4],
  sky: [-0.2, 0.2, 0.8],
  snow: [0.8, 0.8, 0.9],
  ice: [0.3, 0.6, 0.9],
  winter: [0.3, 0.4, 0.7],
  fire: [1, 0.1, -0.8],
  lava: [0.9, -0.4, -0.8],
  volcano: [0.5, -0.5, -0.6],
  desert: [0.7, 0.4, -0.3],
  sand: [0.6, 0.5, 0.1],
  autumn: [0.8, 0.1, -0.7],
  warm: [0.5, 0.1, -0.4],
  cold: [-0.4, -0.1, 0.5],
  neon: [0.4, -0.5, 0.9],
  cyberpunk: [0.3, -0.6, 0.9],
  gothic: [-0.6, -0.7, -0.5],
  space: [-0.9, -0.9, -0.5],
  galaxy: [-0.4, -0.7, 0.6],
  aurora: [-0.5, 0.6, 0.3],
  underwater: [-0.8, 0.1, 0.5],
  moon: [0.1, 0.2, 0.5],
  sun: [0.8, 0.5, -0.3],
  sunny: [0.7, 0.6, -0.1],
  storm: [-0.6, -0.5, -0.3],
  stormy: [-0.6, -0.5, -0.3],
  fog: [0.3, 0.35, 0.4],
  misty: [0.3, 0.35, 0.45],
};

/** Function words carry little meaning: their embeddings are scaled down. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  'a an the of in on at over under with and by from to into through above below near behind for is are very'.split(' '),
);

const OTHER_WORDS = `
landscape mountain mountains hill hills valley river beach coast island field meadow garden park
city town village street road bridge castle tower house cabin temple ruins cave waterfall canyon
cliff glacier clouds cloud stars star planet nebula horizon day morning evening rain mist lightning
rainbow summer spring fall tree trees flower flowers rock rocks stone waves smoke light shadow shadows
grey gray cool deep pale glowing vibrant colorful
cat dog bird birds horse fish dragon robot astronaut person man woman girl boy people portrait face
car ship boat train airplane window door lamp book table chair cup apple fruit cake bottle clock
sword crown butterfly owl wolf fox bear lion tiger deer whale jellyfish mars riding flying walking
standing sitting floating shining burning blooming
painting oil watercolor watercolour digital art artwork illustration photo photograph photography
render cinematic realistic photorealistic detailed highly intricate abstract surreal fantasy
minimalist minimal impressionist sketch drawing anime cartoon concept matte studio lighting dramatic
soft sharp focus trending artstation masterpiece beautiful epic style vintage retro futuristic
steampunk baroque ancient magical mysterious peaceful calm quiet lonely foggy cloudy snowy rainy
aerial view close wide angle lens bokeh octane unreal engine resolution top inside outside old new
big small tiny giant tall long little large many two three how you doing
`;

/** Every whole-word token of the demo vocabulary, in a fixed order. */
export const DEMO_WORDS: readonly string[] = [
  ...new Set([...Object.keys(COLOUR_WORDS), ...STOP_WORDS, ...OTHER_WORDS.split(/\s+/).filter((w) => w !== '')]),
];
