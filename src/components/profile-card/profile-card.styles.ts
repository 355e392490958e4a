import { css } from 'lit';

export const styles = css`
  :host {
    --_bg: var(--vc-profile-card-background, var(--_surface));
    --_line: var(--vc-profile-card-border-color, var(--_border));
    --_pad: var(--vc-profile-card-padding, var(--_space));
  }
  section + section {
    border-block-start: 1px solid var(--_line);
    margin-block-start: var(--_space);
    padding-block-start: var(--_space);
  }
  .head {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: 0.5rem;
  }
  h2 {
    font-size: var(--vc-profile-card-heading-size, 1.125em);
    margin: 0 0 0.5rem;
  }
  dl {
    display: grid;
    grid-template-columns: minmax(8em, max-content) 1fr;
    gap: 0.25rem 1rem;
    margin: 0;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  dd .muted {
    font-size: inherit;
  }
  ul,
  ol {
    margin: 0;
    padding-inline-start: 1.25rem;
  }
  li {
    padding-block: 0.125rem;
  }
  ol {
    list-style: none;
    padding: 0;
  }
  ol li {
    display: flex;
    flex-direction: column;
    padding-block: 0.375rem;
  }
  /* A sign of the list's state for the eye; screen readers hear aria-expanded (the empty alternative text). */
  [aria-expanded]::after {
    content: '+' / '';
    margin-inline-start: 0.5em;
  }
  [aria-expanded='true']::after {
    content: '−' / '';
  }
  .points {
    font-size: 1.5em;
    font-weight: 600;
  }
  fieldset {
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    margin: 0 0 0.75rem;
  }
  .field {
    display: grid;
    gap: 0.25rem;
    margin-block-end: 0.75rem;
  }
  label {
    font-weight: 500;
  }
  input {
    font: inherit;
    color: inherit;
    background: var(--_surface);
    border: 1px solid var(--_control);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.375rem 0.5rem;
    min-block-size: 2.5rem;
    inline-size: 100%;
  }
  [aria-invalid='true'] {
    border: 2px solid var(--_danger);
  }
  .bone.heading {
    inline-size: 8rem;
    block-size: 1.25em;
  }
  .bone.button {
    inline-size: 7rem;
    block-size: 2.5rem;
    margin: 0;
  }
  [part~='skeleton'] section {
    margin-block-start: var(--_space);
  }
`;
