/**
 * `alice@example.com` → `a•••e@example.com`: enough for the person to recognise, little for anyone else. The worker's
 * pages show addresses this way, and a shop's backend repeats one back the same way (`vc-consent/node`).
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  const local = email.slice(0, at);
  return `${local[0]}•••${local.length > 1 ? local.at(-1) : ''}${email.slice(at)}`;
}
