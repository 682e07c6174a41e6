export { createEventRecognizer, recognizeInstagramEvent } from './recognizer.js';
export type { InstagramEvent, InstagramEventKind, InstagramEventOptions } from './recognizer.js';
