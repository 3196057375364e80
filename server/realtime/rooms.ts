/** Room names. Each namespace has its own rooms; a conversation's room exists in both. */
export const rooms = {
  conversation: (id: string) => `conv:${id}`,
  helper: (id: string) => `helper:${id}`,
  session: (tokenHash: string) => `session:${tokenHash}`,
  /** The copies of the page that joined one follow grant; closed when the grant closes. */
  grant: (grantId: string) => `grant:${grantId}`,
};
