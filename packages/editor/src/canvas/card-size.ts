// The node card's size and type scale, shared by the canvas CSS (styles/editor.css, `.jn`) and the
// code that places cards (drops, inserts, fitting the view). Change both together.

/** Width of a node card in flow units (`.jn { width }`). */
export const NODE_CARD_WIDTH = 248;
/** A card's usual height in flow units before React Flow has measured it (title, summary, two ports). */
export const NODE_CARD_HEIGHT = 130;
/** The card title's font size at 100 % zoom (`.jn-title { font-size }`). */
export const NODE_TITLE_PX = 16;
/** The smallest title a marketer can read on screen. */
export const READABLE_TITLE_PX = 12;
/** Fitting the view never zooms out further than this: titles stay ≥ READABLE_TITLE_PX on screen. */
export const READABLE_ZOOM = READABLE_TITLE_PX / NODE_TITLE_PX;
