/**
 * "Who is on duty on post P at instant T" — answered by the roster module. Alerts depends on
 * this interface only; the composition root injects the roster's answer.
 */
export interface OnDutyProvider {
  onDutyForPost(postId: string, at: number): Promise<string[]>;
}

/**
 * Until the roster module is wired in, nobody is on duty on any post: a level that targets
 * only posts is passed over at once (the state machine records "no one to notify").
 */
export const noOnDutyProvider: OnDutyProvider = {
  onDutyForPost: () => Promise.resolve([]),
};
