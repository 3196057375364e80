import { css } from 'lit';

/** Where the visitor writes, and the button that sends it: the chat's box and the offline form. */
export const fieldStyles = css`
  textarea,
  input {
    font: inherit;
    padding: 0.4rem;
    border: 1px solid #8a929c;
    border-radius: 0.4rem;
    background: var(--help-surface, #fff);
    color: inherit;
  }
  button[type='submit'] {
    font: inherit;
    min-width: 2.75rem;
    min-height: 2.75rem;
    padding: 0 0.9rem;
    border: 0;
    border-radius: 0.4rem;
    background: var(--help-accent, #1f5fd1);
    color: var(--help-on-accent, #fff);
    cursor: pointer;
  }
  :focus-visible {
    outline: 3px solid var(--help-focus, #ffbf47);
  }
`;
