import { css } from 'lit';

/** Text for screen readers only: kept in the accessibility tree, off the screen. */
export const srOnly = css`
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
`;

/** Base styles every agent-page element shares. */
export const base = css`
  ${srOnly}
  :host {
    font-family: system-ui, sans-serif;
    color: #1d1d1f;
  }
  button {
    font: inherit;
    padding: 0.35rem 0.8rem;
    border: 1px solid #1f5fd1;
    border-radius: 0.4rem;
    background: #1f5fd1;
    color: #fff;
    cursor: pointer;
  }
  button.quiet {
    background: #fff;
    color: #1f5fd1;
  }
  /* A quiet toggle that is on (the report's range, a chart's table) shows it, not only says it. */
  button.quiet[aria-pressed='true'] {
    background: #1f5fd1;
    color: #fff;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  input {
    font: inherit;
    padding: 0.35rem;
    border: 1px solid #8a929c;
    border-radius: 0.4rem;
  }
  :focus-visible {
    outline: 3px solid #ffbf47;
    outline-offset: 2px;
  }
  h2 {
    font-size: 1.05rem;
    margin: 0 0 0.5rem;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .muted {
    color: #555b63;
    font-size: 0.85rem;
  }
  [role='alert'] {
    color: #a4161a;
  }
`;

/** A list of visitors waiting (the queue, the messages): one entry per visitor. */
export const visitorEntries = css`
  li {
    padding: 0.6rem 0;
    border-bottom: 1px solid #d0d4da;
    display: grid;
    gap: 0.2rem;
  }
  h3 {
    margin: 0;
    font-size: 0.95rem;
    overflow-wrap: anywhere;
  }
  a {
    overflow-wrap: anywhere;
  }
  .who {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 0.75rem;
  }
  blockquote {
    margin: 0.2rem 0;
    padding-left: 0.5rem;
    border-left: 3px solid #d0d4da;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
`;

/** A short form on one line (a box with its label above, and its button): join, find. */
export const oneLineForm = css`
  form {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: end;
  }
  label {
    display: grid;
    gap: 0.25rem;
  }
`;
