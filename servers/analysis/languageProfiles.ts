/**
 * Hand-written fallback, the one word list in this agent: the most frequent function words of
 * a few Latin-script languages, from their standard frequency lists. No multi-language
 * identifier (franc-min, tinyld, eld) is installed; English itself is recognised with wink's
 * own stop words, not with this table. Replace it with such a library when one is added.
 */
export const LATIN_PROFILES: Readonly<Record<string, { readonly name: string; readonly words: ReadonlySet<string> }>> = {
  fr: profile('French', 'le la les de des du et est un une que qui dans pour pas sur au aux avec ce cette il elle nous vous je ne se sont'),
  de: profile('German', 'der die das und ist nicht ein eine zu den dem mit von ich sie es auf für im sich auch wir ist sind wird bei'),
  es: profile('Spanish', 'el la los las de del y que en un una es por para con no se su al lo como pero más este esta son'),
  it: profile('Italian', 'il lo la gli le di del della e che è un una per non in con si sono da al alla questo come ma anche'),
  pt: profile('Portuguese', 'o os a as de do da dos das e que em um uma para com não se por mais como mas ao é são foi'),
  nl: profile('Dutch', 'de het een en van is dat op te in niet met voor zijn er maar ook als bij aan om naar wordt heeft'),
};

function profile(name: string, words: string): { readonly name: string; readonly words: ReadonlySet<string> } {
  return { name, words: new Set(words.split(' ')) };
}
