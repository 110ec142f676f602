/**
 * A setting named in a problem's message, as both the command line and the API take it: the
 * message is stored with the job, which either may have started.
 * `settingHint("--encoding", "encoding", "auto")` is `--encoding auto (API: encoding=auto)`.
 */
export const settingHint = (flag: string, parameter: string, value: string): string =>
  `${flag} ${/^[\w.-]+$/u.test(value) ? value : JSON.stringify(value)} ` +
  `(API: ${parameter}=${value})`
