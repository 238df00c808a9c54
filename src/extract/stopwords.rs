//! Stopword lists, the signal the flat-text classifier leans on most (the jusText idea): prose
//! is dense in function words, menus, teasers and link lists are not. Short lists of the most
//! frequent function words per language are enough for a density measure.

const EN: &str = "a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just may me might more most must my myself no nor not now of off on once only or other our ours ourselves out over own said same says she should so some such than that the their theirs them themselves then there these they this those through to too under until up upon very was we were what when where which while who whom why will with would you your yours yourself yourselves while since though although whether another its it's he's she's they're we're i'm don't didn't can't won't isn't wasn't aren't weren't hasn't haven't hadn't one two three";
const ES: &str = "a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el ella ellas ellos en entre era es esa esas ese eso esos esta estaba estas este esto estos fue fueron ha han hasta hay la las le les lo los mas me mi mucho muy nada ni no nos o otra otro para pero poco por porque que quien se ser si sin sobre su sus también tanto te tiene todo tu un una uno unos y ya dijo según";
const FR: &str = "à au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y été être avoir a est sont était ont fait plus comme cette aussi selon";
const DE: &str = "aber alle als also am an auch auf aus bei bin bis bist da damit dann der den des dem die das dass du durch ein eine einem einen einer eines er es für hat hatte ich ihr ihre im in ist ja kann kein mit nach nicht noch nur oder sein sich sie sind so über um und uns unter vom von vor war waren was weil wenn wie wir wird wurde zu zum zur sagte";
const IT: &str = "a ad al alla alle anche che chi ci come con da dal dalla degli dei del della delle di e è ed gli ha hanno i il in io la le lei lo loro ma mi nel nella non per più quello questa questo se si sono su sua suo tra un una uno essere stato detto";
const PT: &str = "a ao aos as com como da das de dela dele do dos e é ela ele em entre era essa esse esta este eu foi foram há isso já mais mas me muito na nas não nem no nos o os ou para pela pelo por que quem se sem ser seu sua são também um uma disse segundo";
const NL: &str = "aan al als bij dan dat de die dit door een en er had heb heeft het hij hoe ik in is je kan maar me met na naar niet nog nu of om onder ons ook op over te tot u uit van voor was wat we wel werd wie wij zal ze zei zich zij zijn";

/// The stopword list of a language (ISO 639-3 code as whatlang gives it); English otherwise.
pub fn list(lang: Option<&str>) -> &'static [&'static str] {
    use std::sync::LazyLock;
    static LISTS: LazyLock<Vec<(&'static str, Vec<&'static str>)>> = LazyLock::new(|| {
        [
            ("eng", EN),
            ("spa", ES),
            ("fra", FR),
            ("deu", DE),
            ("ita", IT),
            ("por", PT),
            ("nld", NL),
        ]
        .into_iter()
        .map(|(code, words)| {
            let mut v: Vec<&str> = words.split_whitespace().collect();
            v.sort_unstable();
            v.dedup();
            (code, v)
        })
        .collect()
    });
    let code = lang.unwrap_or("eng");
    LISTS
        .iter()
        .find(|(c, _)| *c == code)
        .unwrap_or(&LISTS[0])
        .1
        .as_slice()
}

/// Whether the language has a list here (otherwise density is not a usable signal).
pub fn has_list(lang: Option<&str>) -> bool {
    matches!(
        lang,
        None | Some("eng" | "spa" | "fra" | "deu" | "ita" | "por" | "nld")
    )
}

pub fn is_stopword(list: &[&str], lower_word: &str) -> bool {
    list.binary_search(&lower_word).is_ok()
}
