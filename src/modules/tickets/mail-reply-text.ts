/**
 * The new part of a customer's mail reply: mail clients quote the whole thread below (or above)
 * the answer, and a ticket's timeline should show what the customer wrote this time. Pure.
 */

const SEPARATORS = [
  /^\s*On .{1,300}wrote:\s*$/i,
  /^\s*在.{1,300}写道[:：]\s*$/,
  /^\s*-{2,}\s*(Original Message|原始邮件|Forwarded message|转发的邮件)\s*-{2,}\s*$/i,
  /^\s*(From|发件人)\s*[:：].+$/i,
  /^_{10,}\s*$/,
];

/** The text before the quoted history; the whole text when nothing new is left without it. */
export function newPartOfReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 1; i < lines.length; i++) {
    if (SEPARATORS.some((re) => re.test(lines[i]!))) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end);
  while (kept.length > 0 && /^\s*(>.*)?$/.test(kept[kept.length - 1]!)) kept.pop();
  const result = kept
    .filter((l) => !/^\s*>/.test(l))
    .join('\n')
    .trim();
  return result === '' ? text.trim() : result;
}
