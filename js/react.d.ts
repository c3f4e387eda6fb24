// <pave-hotspots> in React's JSX (React 19 and its types), for TypeScript:
//   import type {} from 'pave-hotspots/react';   // once, anywhere in the app
// React 19 sets `results` and `photoMap` as properties (objects pass as they are) and listens to
// the events through `onpave-*` props. (Render after the element is defined: `defineElement()`,
// or the script, first. Before, React can only set attributes, and `results={obj}` becomes the
// text "[object Object]".)
import type * as React from 'react';
import type {
  PaveHotspotsElement,
  PaveHotspotsEventMap,
  PaveHotspotsResponse,
  PaveLang,
  PaveListMode,
  PavePhotoMap,
} from './index.js';

/** `<pave-hotspots>`'s own props: its attributes, its properties and its events. */
export interface PaveHotspotsProps {
  for?: string;
  src?: string;
  results?: PaveHotspotsResponse | string | null;
  photo?: number | string;
  photoMap?: PavePhotoMap | null;
  lang?: PaveLang;
  timeout?: number | string;
  'poll-timeout'?: number | string;
  list?: PaveListMode;
  'heading-level'?: number | string;
  'onpave-load'?: (event: PaveHotspotsEventMap['pave-load']) => void;
  'onpave-state'?: (event: PaveHotspotsEventMap['pave-state']) => void;
  'onpave-error'?: (event: PaveHotspotsEventMap['pave-error']) => void;
  'onpave-open'?: (event: PaveHotspotsEventMap['pave-open']) => void;
  'onpave-close'?: (event: PaveHotspotsEventMap['pave-close']) => void;
  'onpave-photo-request'?: (event: PaveHotspotsEventMap['pave-photo-request']) => void;
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'pave-hotspots': React.DetailedHTMLProps<
        Omit<React.HTMLAttributes<PaveHotspotsElement>, 'lang' | 'results'>,
        PaveHotspotsElement
      > &
        PaveHotspotsProps;
    }
  }
}
