// Names crafted to inject code into generated JavaScript, shared by the
// backend's security tests and the hostile-input suite. Each would set the
// global canary `__derivCanary` if it ever ran; tests assert it stays unset.

declare global {
  // eslint-disable-next-line no-var
  var __derivCanary: unknown;
}

export const PAYLOAD = "globalThis.__derivCanary = 1";

/** Quotes, backticks, comment ends, template holes, line breaks (incl. U+2028), escapes, prototype members. */
export const HOSTILE_NAMES: readonly string[] = [
  `"; ${PAYLOAD}; "`,
  `'; ${PAYLOAD}; '`,
  `'); ${PAYLOAD}; ('`,
  "`; " + PAYLOAD + "; `",
  `*/ ${PAYLOAD}; /*`,
  "${" + PAYLOAD + "}",
  `\n${PAYLOAD};\n//`,
  `</script><script>${PAYLOAD}</script>`,
  `\u2028${PAYLOAD}\u2029`,
  `\\u0022; ${PAYLOAD}`,
  `x.jvp"]; ${PAYLOAD}; //`,
  "__proto__",
  "constructor",
  "hasOwnProperty",
];
