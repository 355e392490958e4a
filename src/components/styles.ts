/**
 * The styles every `vc-*` element shares: design tokens (`--vc-*` custom properties, light and dark), the container,
 * buttons, the switch, focus rings and status lines. Each element adds its own small sheet and maps its
 * `--vc-<element>-*` properties onto the private `--_bg`, `--_pad`, `--_line` used here.
 *
 * Colors use `light-dark()` driven by `color-scheme`, so `theme="light|dark|auto"` is one declaration. Every pair meets
 * WCAG AA (text 4.5:1, control outlines 3:1) in both schemes. Only logical properties, so right-to-left just works.
 */
import { css } from 'lit';

export const sharedStyles = css`
  :host {
    --_text: var(--vc-color-text, light-dark(#1d1b20, #e6e0e9));
    --_muted: var(--vc-color-muted, light-dark(#4f4b55, #c0bac6));
    --_surface: var(--vc-color-surface, light-dark(#fff, #1d1b20));
    --_border: var(--vc-color-border, light-dark(#cac4d0, #49454f));
    --_control: var(--vc-color-control, light-dark(#6f6a75, #938f99));
    --_accent: var(--vc-color-accent, light-dark(#2851b5, #adc6ff));
    --_on-accent: var(--vc-color-on-accent, light-dark(#fff, #0f1d40));
    --_danger: var(--vc-color-danger, light-dark(#b3261e, #ffb4ab));
    --_success: var(--vc-color-success, light-dark(#1d6b34, #86d99d));
    --_focus: var(--vc-color-focus, var(--_accent));
    --_radius: var(--vc-radius, 0.5rem);
    --_space: var(--vc-space, 1rem);
    display: block;
    color-scheme: light dark;
    color: var(--_text);
    font-family: var(--vc-font-family, inherit);
    font-size: var(--vc-font-size, 1rem);
    line-height: 1.5;
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  :host([hidden]),
  [hidden] {
    display: none !important;
  }
  * {
    box-sizing: border-box;
  }
  .base {
    background: var(--_bg, var(--_surface));
    border: 1px solid var(--_line, var(--_border));
    border-radius: var(--_radius);
    padding: var(--_pad, var(--_space));
  }
  p {
    margin: 0 0 0.5em;
  }
  .muted {
    color: var(--_muted);
    font-size: 0.875em;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-block: var(--_space) 0.5rem;
  }
  button {
    font: inherit;
    cursor: pointer;
    display: inline-flex;
    align-items: center;
    min-block-size: 2.5rem;
    padding: 0.375rem 1rem;
    border: 2px solid var(--_accent);
    border-radius: var(--_radius);
    background: transparent;
    color: var(--_accent);
  }
  button:hover {
    background: color-mix(in srgb, var(--_accent) 12%, transparent);
  }
  .primary {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .primary:hover {
    background: color-mix(in srgb, var(--_accent) 85%, var(--_text));
  }
  .danger {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  a {
    color: var(--_accent);
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  [tabindex='-1']:focus {
    outline: none;
  }
  .status {
    margin: 0;
  }
  .visually-hidden {
    position: absolute;
    clip-path: inset(50%);
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    white-space: nowrap;
  }
  .error {
    color: var(--_danger);
  }
  .ok {
    color: var(--_success);
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    ::before {
      transition: none !important;
      animation: none !important;
    }
  }
`;

/** The on/off switch: a native checkbox with `role="switch"`, so Space, labels and forms work as usual. */
export const switchStyles = css`
  [role='switch'] {
    appearance: none;
    flex: none;
    position: relative;
    margin: 0;
    inline-size: 2.75rem;
    block-size: 1.5rem;
    border: 2px solid var(--_control);
    border-radius: 1rem;
    background: var(--_surface);
    cursor: pointer;
    transition: background-color 0.15s;
  }
  [role='switch']::before {
    content: '';
    position: absolute;
    inset-block-start: 2px;
    inset-inline-start: 2px;
    inline-size: 1rem;
    block-size: 1rem;
    border-radius: 50%;
    background: var(--_control);
    transition: inset-inline-start 0.15s;
  }
  [role='switch']:checked {
    border-color: var(--_switch-on);
    background: var(--_switch-on);
  }
  [role='switch']:checked::before {
    inset-inline-start: calc(100% - 1rem - 2px);
    background: var(--_on-accent);
  }
  [role='switch']:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  @media (forced-colors: active) {
    [role='switch'] {
      forced-color-adjust: none;
      border-color: ButtonText;
      background: Canvas;
    }
    [role='switch']::before {
      background: ButtonText;
    }
    [role='switch']:checked {
      border-color: Highlight;
      background: Highlight;
    }
    [role='switch']:checked::before {
      background: HighlightText;
    }
  }
`;

/** The loading skeleton of the elements that load data: grey bars the size of the text and controls to come. */
export const skeletonStyles = css`
  .bone {
    display: block;
    block-size: 1em;
    margin-block: 0.25em;
    border-radius: 0.25em;
    background: color-mix(in srgb, var(--_muted) 20%, transparent);
    animation: vc-pulse 1.5s ease-in-out infinite;
  }
  @keyframes vc-pulse {
    50% {
      opacity: 0.5;
    }
  }
`;
