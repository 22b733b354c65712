"""The two-level narrative taxonomy of SemEval-2025 Task 10, subtask 2, with one-line definitions.

Two domains: the Ukraine-Russia war (labels prefixed ``URW: ``) and climate change (``CC: ``). A
narrative label is ``<domain>: <narrative>``, a subnarrative label ``<narrative label>: <subnarrative>``;
every narrative also has the catch-all subnarrative ``<narrative label>: Other``, and a document with none
of the narratives is labelled with the plain ``Other`` (:data:`OTHER`, at both levels).

Labels and their order follow the official taxonomy (NARRATIVE-TAXONOMIES.pdf of the release, figures 1
and 2) and are spelled exactly as in the annotation files, including the typographic apostrophe (U+2019)
in "Rewriting Ukraine’s history". Every label of the taxonomy is here, also those that never occur in the
data. The definitions paraphrase the task's annotation guidelines (Piskorski et al., 2025) in plain words
so that every flag a reader sees says what it means.
"""

from __future__ import annotations

OTHER = "Other"
OTHER_DEFINITION = (
    "None of the taxonomy's narratives: the text carries no narrative of the taxonomy, or another one."
)

DOMAINS: tuple[str, ...] = ("URW", "CC")
DOMAIN_NAMES: dict[str, str] = {"URW": "Ukraine-Russia war", "CC": "Climate change"}

# narrative label -> (definition, {subnarrative short name -> definition}); "<narrative>: Other" is added below.
_TAXONOMY: dict[str, tuple[str, dict[str, str]]] = {
    # Figure 1: Ukraine-Russia war
    "URW: Blaming the war on others rather than the invader": (
        "Shifts the responsibility for the war away from Russia, the invader, onto Ukraine or the West.",
        {
            "Ukraine is the aggressor": "Claims that Ukraine started or provoked the war and is the real aggressor.",
            "The West are the aggressors": "Claims that the West (the US, NATO, the EU) caused, provoked or is waging the war.",
        },
    ),
    "URW: Discrediting Ukraine": (
        "Undermines Ukraine as a state and a people: its history, society, army, government or prospects.",
        {
            "Rewriting Ukraine’s history": "Distorts Ukraine's history, e.g. denies that it is a nation or a state with a past of its own.",
            "Discrediting Ukrainian nation and society": "Paints Ukrainians as a people or a society in a bad light (immoral, ungrateful, divided).",
            "Discrediting Ukrainian military": "Paints the Ukrainian army as weak, incompetent or cruel, or accuses it of war crimes.",
            "Discrediting Ukrainian government and officials and policies": "Paints Ukraine's government, officials and policies as corrupt, incompetent, illegitimate or harmful.",
            "Ukraine is a puppet of the West": "Claims that Ukraine has no will of its own and is controlled by the West.",
            "Ukraine is a hub for criminal activities": "Links Ukraine with crime: corruption, trafficking of arms, drugs or people, money laundering.",
            "Ukraine is associated with nazism": "Links Ukraine, its leaders or its army with Nazism or neo-Nazis.",
            "Situation in Ukraine is hopeless": "Presents Ukraine's situation as hopeless: it cannot win, recover or be saved.",
        },
    ),
    "URW: Russia is the Victim": (
        "Presents Russia as the wronged party: threatened, attacked or treated unfairly.",
        {
            "The West is russophobic": "Claims that the West hates or discriminates against Russia, Russians and Russian culture.",
            "Russia actions in Ukraine are only self-defence": "Claims that Russia's war is only a defence against threats (NATO's expansion, attacks on Russians).",
            "UA is anti-RU extremists": "Portrays Ukraine or Ukrainians as extremists hostile to Russia and to Russian speakers.",
        },
    ),
    "URW: Praise of Russia": (
        "Glorifies Russia: its leader, its army, its role in the world or its support at home and abroad.",
        {
            "Praise of Russian military might": "Praises the strength, successes or superiority of Russia's army and weapons.",
            "Praise of Russian President Vladimir Putin": "Praises Vladimir Putin as a wise, strong or admired leader.",
            "Russia is a guarantor of peace and prosperity": "Presents Russia as a force for peace, stability and prosperity in the world.",
            "Russia has international support from a number of countries and people": "Claims that many countries and people abroad stand with Russia.",
            "Russian invasion has strong national support": "Claims that Russians stand united behind the invasion.",
        },
    ),
    "URW: Overpraising the West": (
        "Exaggerates the West's strength, righteousness or support in the war.",
        {
            "NATO will destroy Russia": "Claims that NATO is strong enough to defeat or destroy Russia, and will.",
            "The West belongs in the right side of history": "Presents the West as morally right, on the right side of history.",
            "The West has the strongest international support": "Claims that the world stands with the West and Russia is isolated.",
        },
    ),
    "URW: Speculating war outcomes": (
        "Makes confident predictions about how the war will go or end.",
        {
            "Russian army is collapsing": "Claims that the Russian army is falling apart: heavy losses, low morale, desertion.",
            "Russian army will lose all the occupied territories": "Predicts that Russia will lose all the Ukrainian land it occupies.",
            "Ukrainian army is collapsing": "Claims that the Ukrainian army is falling apart: heavy losses, low morale, desertion.",
        },
    ),
    "URW: Discrediting the West, Diplomacy": (
        "Portrays the West as weak, divided or self-serving, and diplomacy as pointless.",
        {
            "The EU is divided": "Claims that EU members are split over the war, the sanctions or the support for Ukraine.",
            "The West is weak": "Portrays the West as weak, declining or unable to act.",
            "The West is overreacting": "Claims that the West's response to the war (sanctions, weapons) goes too far.",
            "The West does not care about Ukraine, only about its interests": "Claims that the West uses Ukraine for its own interests and does not care about Ukrainians.",
            "Diplomacy does/will not work": "Claims that negotiations and diplomacy are useless or bound to fail.",
            "West is tired of Ukraine": "Claims that Western governments and people are tired of supporting Ukraine.",
        },
    ),
    "URW: Negative Consequences for the West": (
        "Claims that supporting Ukraine or opposing Russia harms the West itself.",
        {
            "Sanctions imposed by Western countries will backfire": "Claims that the sanctions on Russia hurt the West more than Russia.",
            "The conflict will increase the Ukrainian refugee flows to Europe": "Warns that the war will send ever more Ukrainian refugees to Europe, with bad effects.",
        },
    ),
    "URW: Distrust towards Media": (
        "Questions the honesty and reliability of the media that cover the war.",
        {
            "Western media is an instrument of propaganda": "Claims that Western media spread propaganda and hide or distort the truth.",
            "Ukrainian media cannot be trusted": "Claims that Ukrainian media lie or spread propaganda.",
        },
    ),
    "URW: Amplifying war-related fears": (
        "Stokes fear that the war will spread, escalate or end in catastrophe.",
        {
            "By continuing the war we risk WWIII": "Warns that going on with the war, or supporting Ukraine, risks a third world war.",
            "Russia will also attack other countries": "Warns that Russia will attack other countries next (e.g. the Baltic states, Poland).",
            "There is a real possibility that nuclear weapons will be employed": "Warns that nuclear weapons may actually be used.",
            "NATO should/will directly intervene": "Claims that NATO should or will enter the war directly.",
        },
    ),
    "URW: Hidden plots by secret schemes of powerful groups": (
        "Claims that secret, powerful groups plan or steer the war for hidden purposes.",
        {},
    ),
    # Figure 2: Climate change
    "CC: Criticism of climate policies": (
        "Argues that climate policies are ineffective, harmful or self-serving.",
        {
            "Climate policies are ineffective": "Claims that climate policies miss their goals or make no difference.",
            "Climate policies have negative impact on the economy": "Claims that climate policies hurt the economy: jobs, prices, growth, industry.",
            "Climate policies are only for profit": "Claims that climate policies exist to make money for companies or insiders.",
        },
    ),
    "CC: Criticism of institutions and authorities": (
        "Attacks the institutions and officials behind climate action as incompetent, dishonest or overreaching.",
        {
            "Criticism of the EU": "Attacks the European Union and its climate action.",
            "Criticism of international entities": "Attacks international bodies (the UN, the IPCC, the WEF...) over climate.",
            "Criticism of national governments": "Attacks national governments over their climate action or stance.",
            "Criticism of political organizations and figures": "Attacks parties, politicians or public figures over climate.",
        },
    ),
    "CC: Climate change is beneficial": (
        "Claims that climate change does more good than harm.",
        {
            "CO2 is beneficial": "Claims that more CO2 is good, e.g. for plant growth and harvests.",
            "Temperature increase is beneficial": "Claims that a warmer climate brings benefits (milder winters, longer growing seasons).",
        },
    ),
    "CC: Downplaying climate change": (
        "Minimizes climate change, its causes or its effects.",
        {
            "Climate cycles are natural": "Claims that today's changes are part of the climate's natural cycles.",
            "Weather suggests the trend is global cooling": "Points to cold weather or cold records as proof that the planet is cooling.",
            "Temperature increase does not have significant impact": "Claims that rising temperatures have no serious effects.",
            "CO2 concentrations are too small to have an impact": "Claims that CO2 is too small a share of the air to make a difference.",
            "Human activities do not impact climate change": "Denies that people cause or affect climate change.",
            "Ice is not melting": "Claims that glaciers and polar ice are not melting, or are growing.",
            "Sea levels are not rising": "Claims that sea levels are not rising, or not in a worrying way.",
            "Humans and nature will adapt to the changes": "Claims that people and nature will simply adapt, so nothing needs to be done.",
        },
    ),
    "CC: Questioning the measurements and science": (
        "Casts doubt on climate data and methods and on the scientists who produce them.",
        {
            "Methodologies/metrics used are unreliable/faulty": "Claims that climate measurements, models or metrics are flawed or manipulated.",
            "Data shows no temperature increase": "Claims that the data show no warming.",
            "Greenhouse effect/carbon dioxide do not drive climate change": "Denies that the greenhouse effect or carbon dioxide drives climate change.",
            "Scientific community is unreliable": "Portrays climate scientists as biased, corrupt or untrustworthy.",
        },
    ),
    "CC: Criticism of climate movement": (
        "Attacks climate activists and the climate movement.",
        {
            "Climate movement is alarmist": "Portrays climate activists as spreading exaggerated, hysterical alarm.",
            "Climate movement is corrupt": "Portrays the climate movement as corrupt, hypocritical or in it for the money.",
            "Ad hominem attacks on key activists": "Attacks well-known activists personally (e.g. Greta Thunberg) instead of their arguments.",
        },
    ),
    "CC: Controversy about green technologies": (
        "Questions the safety, reliability, cost or climate benefit of green technologies.",
        {
            "Renewable energy is dangerous": "Claims that renewable energy harms people, wildlife or the environment.",
            "Renewable energy is unreliable": "Claims that renewables cannot supply steady, dependable power.",
            "Renewable energy is costly": "Claims that renewable energy is too expensive.",
            "Nuclear energy is not climate friendly": "Claims that nuclear power is bad for the climate or the environment.",
        },
    ),
    "CC: Hidden plots by secret schemes of powerful groups": (
        "Claims that secret, powerful groups are behind climate policy for hidden purposes.",
        {
            "Blaming global elites": "Blames global elites (billionaires, 'globalists') for pushing the climate agenda for their own gain.",
            "Climate agenda has hidden motives": "Claims that climate action hides other aims: control, surveillance, profit, depopulation.",
        },
    ),
    "CC: Amplifying Climate Fears": (
        "Stokes fear about climate change, presenting it in alarming or apocalyptic terms.",
        {
            "Earth will be uninhabitable soon": "Claims that the planet will soon be unfit for life.",
            "Amplifying existing fears of global warming": "Plays up existing fears about global warming and its effects.",
            "Doomsday scenarios for humans": "Describes catastrophic, end-of-the-world outcomes for humanity.",
            "Whatever we do it is already too late": "Claims that it is too late to stop climate change, whatever we do.",
        },
    ),
    "CC: Green policies are geopolitical instruments": (
        "Claims that green policies are tools of power between countries.",
        {
            "Climate-related international relations are abusive/exploitative": "Claims that climate deals and aid let powerful countries abuse or exploit others.",
            "Green activities are a form of neo-colonialism": "Claims that green policies let rich countries dominate poorer ones: a new colonialism.",
        },
    ),
}

_SEP = ": "


def _short_narrative(narrative: str) -> str:
    return narrative.split(_SEP, 1)[1]


def _other_definition(narrative: str, has_subs: bool) -> str:
    name = _short_narrative(narrative)
    if has_subs:
        return f"Another form of '{name}' not covered by its sub-narratives."
    return f"Any form of '{name}' (the taxonomy gives it no finer sub-narratives)."


def _subnarratives() -> dict[str, dict[str, str]]:
    """Narrative label -> {subnarrative label -> definition}, ': Other' last."""
    out: dict[str, dict[str, str]] = {}
    for narrative, (_, subs) in _TAXONOMY.items():
        labels = {f"{narrative}{_SEP}{name}": text for name, text in subs.items()}
        labels[f"{narrative}{_SEP}{OTHER}"] = _other_definition(narrative, bool(subs))
        out[narrative] = labels
    return out


_BY_NARRATIVE = _subnarratives()
_PARENT: dict[str, str] = {sub: narr for narr, subs in _BY_NARRATIVE.items() for sub in subs}

NARRATIVE_DEFINITIONS: dict[str, str] = {label: text for label, (text, _) in _TAXONOMY.items()}
SUBNARRATIVE_DEFINITIONS: dict[str, str] = {
    sub: text for subs in _BY_NARRATIVE.values() for sub, text in subs.items()
}
NARRATIVES: tuple[str, ...] = tuple(NARRATIVE_DEFINITIONS)
SUBNARRATIVES: tuple[str, ...] = tuple(SUBNARRATIVE_DEFINITIONS)


def domain(label: str) -> str:
    """The domain of a narrative or subnarrative label: "URW" or "CC".

    Raises ValueError for the plain :data:`OTHER` (it belongs to no domain) and for labels without a domain prefix.
    """
    prefix = label.split(_SEP, 1)[0]
    if _SEP not in label or prefix not in DOMAINS:
        raise ValueError(f"not a domain label: {label!r}")
    return prefix


def parent(sub: str) -> str:
    """The narrative label of a subnarrative label; the plain :data:`OTHER` is its own parent.

    Labels outside the taxonomy are split on their last ": " if they have the subnarrative shape
    (``<domain>: <narrative>: <subnarrative>``); anything else raises ValueError.
    """
    if sub == OTHER:
        return OTHER
    if sub in _PARENT:
        return _PARENT[sub]
    if sub.count(_SEP) >= 2 and sub.split(_SEP, 1)[0] in DOMAINS:
        return sub.rsplit(_SEP, 1)[0]
    raise ValueError(f"not a subnarrative label: {sub!r}")


def short(label: str) -> str:
    """The label without its domain prefix and, for a subnarrative, without its narrative.

    'URW: Blaming the war on others rather than the invader: The West are the aggressors' ->
    'The West are the aggressors'; 'CC: Downplaying climate change' -> 'Downplaying climate change';
    'URW: Discrediting Ukraine: Other' -> 'Other'. Narrative names contain no ": ", so the rule also holds
    for labels outside the taxonomy.
    """
    if _SEP not in label:
        return label
    prefix, rest = label.split(_SEP, 1)
    if prefix not in DOMAINS:
        return label
    return rest.rsplit(_SEP, 1)[-1]


def definition(label: str) -> str:
    """The definition of a narrative, subnarrative or the plain :data:`OTHER`; "" for unknown labels."""
    if label == OTHER:
        return OTHER_DEFINITION
    return NARRATIVE_DEFINITIONS.get(label) or SUBNARRATIVE_DEFINITIONS.get(label, "")
