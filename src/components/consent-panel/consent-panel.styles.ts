import { css } from 'lit';

export const styles = css`
  :host {
    --_bg: var(--vc-consent-panel-background, var(--_surface));
    --_line: var(--vc-consent-panel-border-color, var(--_border));
    --_pad: var(--vc-consent-panel-padding, var(--_space));
    --_switch-on: var(--vc-consent-panel-switch-color, var(--_accent));
  }
  fieldset {
    border: 0;
    padding: 0;
    margin: 0 0 var(--_space);
  }
  legend {
    font-weight: 600;
    font-size: 1.0625em;
    padding: 0;
    margin-block-end: 0.25rem;
  }
  .consent {
    display: flex;
    gap: 0.75rem;
    align-items: flex-start;
    padding-block: 0.5rem;
    border-block-start: 1px solid var(--_line);
  }
  .consent [role='switch'] {
    margin-block-start: 0.125rem;
  }
  label {
    font-weight: 500;
    cursor: pointer;
  }
  .tag {
    margin-inline-start: 0.5em;
    color: var(--_accent);
  }
  .heading {
    font-size: var(--vc-consent-panel-heading-size, 1.125em);
    font-weight: 700;
    margin-block-end: 0.5rem;
  }
  .notice {
    border-inline-start: 4px solid var(--_accent);
    padding-inline-start: 0.75rem;
    margin-block-end: var(--_space);
  }
  [part~='skeleton'] .consent > div {
    flex: 1;
  }
  .bone.short {
    inline-size: 40%;
  }
  .bone.switch {
    flex: none;
    inline-size: 2.75rem;
    block-size: 1.5rem;
    border-radius: 1rem;
    margin: 0.125rem 0 0;
  }
  .bone.button {
    inline-size: 8rem;
    block-size: 2.5rem;
    margin: 0;
  }
  /* The status line takes room only when it says something (no empty band under the buttons). */
  [part~='actions'] {
    margin-block-end: 0;
  }
  .status:not(:empty),
  [part~='retry'],
  [part~='undo'] {
    margin-block-start: 0.5rem;
  }
`;
