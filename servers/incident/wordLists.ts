/**
 * English function words: the Snowball stop list that PostgreSQL ships as `english.stop`. A query
 * does not need them to match; they stay in the index, so "quoted phrases" keep them.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its ' +
    'itself they them their theirs themselves what which who whom this that these those am is are was were be been being ' +
    'have has had having do does did doing a an the and but if or because as until while of at by for with about against ' +
    'between into through during before after above below to from up down in out on off over under again further then once ' +
    'here there when where why how all any both each few more most other some such no nor not only own same so than too ' +
    'very s t can will just don should now'
  ).split(' '),
);

/**
 * Words people (and models) put around what they look for in an incident store, which say nothing
 * about which incidents they want: "VPN related incidents", "any tickets about printers".
 */
export const FILLER_WORDS: ReadonlySet<string> = new Set(
  (
    'incident incidents ticket tickets issue issues problem problems record records case cases related relating regarding ' +
    'concerning involving similar show find search list look please'
  ).split(' '),
);

/**
 * Words also written as two, in help-desk text: "log in" for login, "set up" for setup. Two
 * words side by side are joined only when they make one of these (or when the first has one or
 * two letters, as in "wi fi" and "e mail"): "drops in" and "printer in" stay apart.
 */
export const SPACED_COMPOUNDS: ReadonlySet<string> = new Set(
  (
    'login logon logout logoff signin signon signup signout setup backup startup shutdown breakdown lookup checkin ' +
    'checkout popup dropdown rollout rollback timeout lockout cleanup pickup printout handover takeover failover cutover ' +
    'plugin workaround online offline website webpage username filename hostname voicemail database'
  ).split(' '),
);
