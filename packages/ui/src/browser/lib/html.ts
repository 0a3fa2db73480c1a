/** Preact with htm tagged templates: components without a JSX compile step. */
export { html, render } from 'htm/preact';
export { useEffect, useMemo, useRef, useState } from 'preact/hooks';
