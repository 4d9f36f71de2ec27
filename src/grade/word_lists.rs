//! The word lists the claim reader works from (which words relate terms,
//! which start a clause, which a heading uses, ...), kept apart from the
//! reader so that the build script reads them too: it turns them into one
//! table of words, each with the lists it is on (`LIST_TABLE`), so that no
//! list is built at run time. Words are as written, lower case.

/// Words that relate terms rather than list them (with every form of [`VERBS`]).
pub(crate) const RELATION: usize = 0;
/// Words that start a new clause after a comma.
pub(crate) const SPLIT_AFTER_COMMA: usize = 1;
/// Words that always start a new clause.
pub(crate) const SPLIT_ALWAYS: usize = 2;
/// Subjects ("we shard").
pub(crate) const SUBJECTS: usize = 3;
/// Words before a negation that make it a verb's.
pub(crate) const AUXILIARIES: usize = 4;
/// Words that end a forward cue's reach.
pub(crate) const SCOPE_END: usize = 5;
/// Words of a heading that excludes without naming a choice ("not doing").
pub(crate) const HEADING: usize = 6;
/// Hypotheticals ("would"), for warnings.
pub(crate) const HYPOTHETICAL: usize = 7;
/// What a warning warns of.
pub(crate) const TROUBLE: usize = 8;
/// What a design does about trouble.
pub(crate) const CURES: usize = 9;
/// Filler between terms.
pub(crate) const FILLER: usize = 10;
/// Prepositions.
pub(crate) const PREPOSITIONS: usize = 11;
/// A rubric's verbs, only the -s forms: "Explains", never the imperative "Explain".
pub(crate) const DESCRIBING: usize = 12;

/// The lists, by the numbers above.
#[cfg_attr(not(test), allow(dead_code))] // the build script reads it
pub(crate) const LISTS: [&str; 13] = [
    // RELATION
    concat!(
        "we i you they it he she this that these those which who whom our their us them its ",
        "is are was were be been being am do does did will would can could should must may might shall has have had ",
        "to for with by in on at from into onto via through of per behind before after over under across between within ",
        "without against around inside outside toward towards upon until during as than ",
        "because so since when while then if unless whereas although though but where whether once therefore thus hence otherwise ",
        "not no never cannot dont doesnt wont ",
        "use uses used using keep keeps send sends return returns serve serves put puts get gets replicate emit emits ",
        "publish publishes consume consumes reject rejects allow allows hold holds encode encodes generate generates ",
        "assign assigns fetch fetches add adds remove removes delete deletes update updates create creates handle handles ",
        "process processes run runs need needs want wants give gives take takes make makes let lets lose loses fail fails ",
        "crash crashes recover recovers detect detects measure measures compute computes save saves choose chooses pick picks ",
        "prefer prefers avoid avoids go goes sit sits live lives talk talks call calls ask asks answer answers move moves ",
        "show shows say says mean means depend depends own owns accept accepts apply applies rely relies build builds ",
        "drop drops grow grows stay stays become becomes contain contains include includes require requires ensure ensures ",
        "guarantee guarantees prevent prevents protect protects absorb absorbs work works tell tells know knows see sees ",
        "think help helps support supports provide provides expose exposes hit hits land lands reach reaches carry carries ",
        "wait waits ack acks survive survives"
    ),
    // SPLIT_AFTER_COMMA
    "but so which while whereas because since though although yet hence thus otherwise unless if not never no we i you they it instead meaning",
    // SPLIT_ALWAYS
    "but because whereas although",
    // SUBJECTS
    "we i you they",
    // AUXILIARIES
    "is are was were be been being am do does did will would can could should must may might shall has have had we i you they it this that which who to",
    // SCOPE_END
    "by using via through so because but which we i you they instead",
    // HEADING
    "doing do done building build built supporting support supported covering cover covered \
             including include included needed need planned plan handling handle handled addressing \
             addressed tackling considered goal goals nongoal nongoals now yet in of out scope v1 mvp \
             for this the first version round phase release going to part will be are is we i our \
             here today things thing items what list explicitly deliberately intentionally",
    // HYPOTHETICAL
    "would could might",
    // TROUBLE
    "lose loses losing lost loss break breaks breaking fail fails failing collide collides collision collisions race races overload overloads overwhelm melt double inconsistent stale slow crash crashes leak leaks bottleneck hotspot hotspots contention drift drifts",
    // CURES
    "avoid avoids prevent prevents reduce reduces eliminate eliminates solve solves fix fixes handle handles mitigate mitigates remove removes stop stops",
    // FILLER
    "a an the and or with via plus using use uses for of in on to by we i also then our its their as is are be",
    // PREPOSITIONS
    "to for with by in on at from into onto via through of per behind before after over under across between within without against around inside outside toward towards upon until during as than plus",
    // DESCRIBING
    "says explains names lists notes states recognises recognizes compares chooses picks \
             defines spells describes identifies proposes quantifies justifies considers mentions \
             asks argues walks drives weighs confirms clarifies discusses acknowledges sizes \
             distinguishes separates pins agrees",
];

/// Verbs a design answer uses, in their base form; [`verb_forms`] adds the
/// others. Words that are as often nouns in design talk ("store", "cache",
/// "queue", "load", "write") are left out, so that a line such as "load
/// balancer" still reads as a bare term.
#[cfg_attr(not(test), allow(dead_code))] // the build script reads it
pub(crate) const VERBS: &str = "accept acknowledge add adjust aggregate allocate allow answer append apply arrive ask \
    assign attach avoid become begin break bring build buy carry catch change choose claim \
    clean clear close collect combine come commit compare compute confirm connect consume \
    contain continue convert copy cover create decide decrement define delete deliver deny \
    depend derive describe detect determine die discard drain drive drop emit enable encode \
    encrypt enforce ensure enter estimate evict exceed expand expect expire expose extend fail \
    fall fetch fill filter find finish fit flush follow force forward free gather generate get \
    give go grant grow guarantee handle happen help hide hold identify ignore improve include \
    increase increment insert invalidate join keep kill know learn leave let live lose maintain \
    make manage matter mean measure merge miss move need notify observe open own pause pay \
    perform persist pick populate precompute prefer prepare prevent produce protect provide \
    publish pull purge push put raise reach rebuild receive recompute recover redirect reduce \
    refresh refuse register reject rely remain remember remove render repair replace replay \
    replicate require reserve resolve respond restart restore retain retry reuse rotate see \
    seem select send serve settle share shed shrink sit skip slow sort spend stay subscribe \
    succeed suffer suppose survive take talk tell tend throttle translate treat trust try \
    unlock upgrade validate verify wait wake want warm";

/// A verb's forms as written: base, -s, -ed, -ing ("retry": retries,
/// retried, retrying; "store": stores, stored, storing).
#[cfg_attr(not(test), allow(dead_code))] // the build script calls it
pub(crate) fn verb_forms(base: &str) -> [String; 4] {
    let joined = |stem: &str, end: &str| {
        let mut form = String::with_capacity(stem.len() + end.len());
        form.push_str(stem);
        form.push_str(end);
        form
    };
    let consonant_y = base.ends_with('y')
        && !base.ends_with("ay")
        && !base.ends_with("ey")
        && !base.ends_with("oy");
    let (third, past) = if consonant_y {
        let stem = &base[..base.len() - 1];
        (joined(stem, "ies"), joined(stem, "ied"))
    } else if base.ends_with(['s', 'x', 'z']) || base.ends_with("sh") || base.ends_with("ch") {
        (joined(base, "es"), joined(base, "ed"))
    } else if base.ends_with('e') {
        (joined(base, "s"), joined(base, "d"))
    } else {
        (joined(base, "s"), joined(base, "ed"))
    };
    let ing = if base.ends_with('e') && !base.ends_with("ee") {
        joined(&base[..base.len() - 1], "ing")
    } else {
        joined(base, "ing")
    };
    [base.to_string(), third, past, ing]
}
