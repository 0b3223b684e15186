//! How hard a new passphrase is to guess: an estimate of the guesses an attacker who
//! knows how people choose passwords would need, and the rating shown beside the field.
//!
//! A small built-in version of what strength estimators such as zxcvbn do (that crate's
//! word lists alone are about 390 KB gzipped, more than this whole app may weigh). The
//! passphrase is split, the cheapest way, into pieces an attacker tries first: one of the
//! most used passwords (also with l33t undone: "p4ssw0rd"), the school's name, runs of
//! one character, sequences ("abcd", "4321"), keyboard rows ("qwerty"), years and dates;
//! anything else is guessed a character at a time. The guesses of the pieces multiply.

/// Fewer estimated guesses than this and the passphrase is refused: an attacker with the
/// desk's file would try it early.
pub const REFUSE_BELOW_LOG10: f64 = 8.0;
const GOOD_FROM_LOG10: f64 = 11.0;
const STRONG_FROM_LOG10: f64 = 14.0;

/// The rating of a passphrase long enough to be considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    /// Refused: too easy to guess.
    TooEasy,
    Fair,
    Good,
    Strong,
}

/// What the estimate found.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// log10 of the estimated guesses.
    pub guesses_log10: f64,
    pub rating: Rating,
    /// The weakest thing found, in plain words, for the reason beside the field.
    pub weakness: Option<String>,
}

impl Assessment {
    /// The hint shown as the passphrase is typed.
    pub fn hint(&self) -> String {
        match self.rating {
            Rating::TooEasy => "Too easy to guess".to_string(),
            Rating::Fair => "Fair: longer is better, for example four unrelated words".to_string(),
            Rating::Good => "Good".to_string(),
            Rating::Strong => "Strong".to_string(),
        }
    }

    /// Why the passphrase is refused, or None if it is accepted.
    pub fn refusal(&self) -> Option<String> {
        (self.rating == Rating::TooEasy).then(|| {
            let why = self
                .weakness
                .clone()
                .unwrap_or_else(|| "it is short and predictable".to_string());
            format!(
                "This passphrase is too easy to guess: {why}. Use a short sentence of four or more unrelated words."
            )
        })
    }
}

/// Estimates how hard `passphrase` is to guess; `school` is the school's name, if known,
/// which an attacker would try first.
pub fn assess(passphrase: &str, school: &str) -> Assessment {
    let chars: Vec<char> = passphrase.chars().collect();
    let lower: Vec<char> = passphrase.to_lowercase().chars().collect();
    // Lower-casing can change the length (rare letters); then case is ignored.
    let lower = if lower.len() == chars.len() {
        lower
    } else {
        chars.clone()
    };
    let plain: Vec<char> = lower.iter().map(|c| undo_leet(*c)).collect();
    let school: Vec<char> = school
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();

    let n = chars.len();
    // best[i]: the cheapest (log10 guesses) split of the first i characters, with the
    // piece that ended there.
    let mut best: Vec<(f64, Option<Piece>)> = vec![(f64::INFINITY, None); n + 1];
    best[0] = (0.0, None);
    for start in 0..n {
        let before = best[start].0;
        if before.is_infinite() {
            continue;
        }
        for piece in pieces_at(&chars, &lower, &plain, &school, start) {
            let cost = before + piece.log10;
            let end = start + piece.len;
            if cost < best[end].0 {
                best[end] = (cost, Some(piece));
            }
        }
    }
    // Walk back to find the weakest named piece.
    let mut weakest: Option<Piece> = None;
    let mut at = n;
    while at > 0 {
        let Some(piece) = best[at].1.clone() else {
            break;
        };
        at -= piece.len;
        if piece.reason.is_some()
            && weakest
                .as_ref()
                .is_none_or(|w| piece.len > w.len || (piece.len == w.len && piece.log10 < w.log10))
        {
            weakest = Some(piece);
        }
    }
    let guesses_log10 = best[n].0;
    let rating = if guesses_log10 < REFUSE_BELOW_LOG10 {
        Rating::TooEasy
    } else if guesses_log10 < GOOD_FROM_LOG10 {
        Rating::Fair
    } else if guesses_log10 < STRONG_FROM_LOG10 {
        Rating::Good
    } else {
        Rating::Strong
    };
    Assessment {
        guesses_log10,
        rating,
        weakness: weakest.and_then(|p| p.reason),
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Piece {
    len: usize,
    log10: f64,
    reason: Option<String>,
}

fn undo_leet(c: char) -> char {
    match c {
        '0' => 'o',
        '1' | '!' | '|' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' | '+' => 't',
        '8' => 'b',
        '9' => 'g',
        other => other,
    }
}

/// Guesses for one character tried blind: letters as in words (people rarely pick
/// letters at random), digits, then everything else.
fn blind_log10(c: char) -> f64 {
    if c.is_lowercase() {
        5f64.log10()
    } else if c.is_uppercase() {
        7f64.log10()
    } else if c.is_ascii_digit() {
        1.0
    } else if c == ' ' {
        2f64.log10()
    } else {
        20f64.log10()
    }
}

const KEYBOARD_ROWS: [&str; 5] = [
    "`1234567890-=",
    "qwertyuiop[]",
    "asdfghjkl;'#",
    "zxcvbnm,./",
    "qazwsxedcrfvtgbyhnujmikolp",
];

/// Every piece that could start at `start`, always including one blind character.
fn pieces_at(
    chars: &[char],
    lower: &[char],
    plain: &[char],
    school: &[char],
    start: usize,
) -> Vec<Piece> {
    let n = chars.len();
    let mut out = vec![Piece {
        len: 1,
        log10: blind_log10(chars[start]),
        reason: None,
    }];
    let capitals = |len: usize| -> f64 {
        // A capital at the start is the usual; any other mix costs more to guess.
        let word = &chars[start..start + len];
        let upper = word.iter().filter(|c| c.is_uppercase()).count();
        if upper == 0 {
            0.0
        } else if upper == 1 && word[0].is_uppercase() || upper == len {
            2f64.log10()
        } else {
            // Which of the letters are capitals: the sum of len-choose-i for i up to upper.
            let mut ways = 0.0;
            let mut choose = 1.0;
            for i in 1..=upper {
                choose = choose * (len + 1 - i) as f64 / i as f64;
                ways += choose;
            }
            f64::log10(ways)
        }
    };
    // Common passwords, as typed or with l33t undone.
    for (rank, word) in COMMON.iter().enumerate() {
        let len = word.chars().count();
        if len < 3 || start + len > n {
            continue;
        }
        let as_typed = lower[start..start + len].iter().copied().eq(word.chars());
        let undone = plain[start..start + len].iter().copied().eq(word.chars());
        if as_typed || undone {
            let leet = if as_typed { 0.0 } else { 1.0 };
            out.push(Piece {
                len,
                log10: ((rank + 1) as f64).log10() + capitals(len) + leet,
                reason: Some(format!(
                    "\u{201c}{word}\u{201d} is one of the most used passwords"
                )),
            });
        }
    }
    // The school's name, or the most of it.
    if school.len() >= 4 {
        for len in (4..=school.len().min(n - start)).rev() {
            if (0..=school.len() - len).any(|s| {
                plain[start..start + len] == school[s..s + len]
                    || lower[start..start + len] == school[s..s + len]
            }) {
                out.push(Piece {
                    len,
                    log10: 1.0 + capitals(len),
                    reason: Some("it contains the school\u{2019}s name".to_string()),
                });
                break;
            }
        }
    }
    // One character repeated, or a short run repeated ("abcabc").
    let mut run = 1;
    while start + run < n && lower[start + run] == lower[start] {
        run += 1;
    }
    if run >= 3 {
        out.push(Piece {
            len: run,
            log10: blind_log10(chars[start]).max(1.0) + (run as f64).log10(),
            reason: Some("it repeats a character".to_string()),
        });
    }
    for unit in 2..=((n - start) / 2).min(8) {
        let mut copies = 1;
        while start + (copies + 1) * unit <= n
            && lower[start + copies * unit..start + (copies + 1) * unit]
                == lower[start..start + unit]
        {
            copies += 1;
        }
        if copies >= 2 {
            // The unit is guessed once (cheaply: as blind characters), then repeated.
            let unit_cost: f64 = chars[start..start + unit]
                .iter()
                .map(|c| blind_log10(*c))
                .sum();
            out.push(Piece {
                len: unit * copies,
                log10: unit_cost + (copies as f64).log10(),
                reason: Some("it repeats itself".to_string()),
            });
        }
    }
    // Sequences: "abcd", "4321", keyboard rows "qwerty", "asdf".
    let step_run = |step: i32| -> usize {
        let mut len = 1;
        while start + len < n
            && lower[start + len].is_alphanumeric()
            && lower[start + len] as i32 - lower[start + len - 1] as i32 == step
        {
            len += 1;
        }
        len
    };
    for step in [1, -1] {
        let len = step_run(step);
        if len >= 3 && lower[start].is_alphanumeric() {
            out.push(Piece {
                len,
                log10: (26.0 * len as f64).log10(),
                reason: Some(
                    "it has a sequence such as \u{201c}abc\u{201d} or \u{201c}123\u{201d}"
                        .to_string(),
                ),
            });
        }
    }
    for row in KEYBOARD_ROWS {
        let row: Vec<char> = row.chars().collect();
        for forwards in [true, false] {
            let row: Vec<char> = if forwards {
                row.clone()
            } else {
                row.iter().rev().copied().collect()
            };
            if let Some(pos) = row.iter().position(|c| *c == lower[start]) {
                let mut len = 1;
                while start + len < n
                    && pos + len < row.len()
                    && lower[start + len] == row[pos + len]
                {
                    len += 1;
                }
                if len >= 4 {
                    out.push(Piece {
                        len,
                        log10: (40.0 * len as f64).log10(),
                        reason: Some("it follows the keys along the keyboard".to_string()),
                    });
                }
            }
        }
    }
    // Years (1900 to 2099) and dates of digits, such as 010916 or 01092016.
    let digits = chars[start..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits >= 4 {
        let year: String = chars[start..start + 4].iter().collect();
        if let Ok(y) = year.parse::<u32>() {
            if (1900..=2099).contains(&y) {
                out.push(Piece {
                    len: 4,
                    log10: 200f64.log10(),
                    reason: Some("it contains a year".to_string()),
                });
            }
        }
    }
    for len in [6, 8] {
        if digits >= len {
            let text: String = chars[start..start + len].iter().collect();
            if looks_like_date(&text) {
                out.push(Piece {
                    len,
                    log10: (366.0_f64 * if len == 6 { 100.0 } else { 200.0 }).log10(),
                    reason: Some("it contains a date".to_string()),
                });
            }
        }
    }
    out
}

/// Six or eight digits read as a day, month and year (either way round).
fn looks_like_date(digits: &str) -> bool {
    let num = |s: &str| s.parse::<u32>().unwrap_or(0);
    let day_month = |a: u32, b: u32| (1..=31).contains(&a) && (1..=12).contains(&b);
    match digits.len() {
        6 => {
            let (a, b) = (num(&digits[0..2]), num(&digits[2..4]));
            day_month(a, b) || day_month(b, a)
        }
        8 => {
            let (a, b, y) = (num(&digits[0..2]), num(&digits[2..4]), num(&digits[4..8]));
            let (y2, c, d) = (num(&digits[0..4]), num(&digits[4..6]), num(&digits[6..8]));
            ((1900..=2099).contains(&y) && (day_month(a, b) || day_month(b, a)))
                || ((1900..=2099).contains(&y2) && day_month(d, c))
        }
        _ => false,
    }
}

/// The most used passwords and the words they are made of, most used first, lower case,
/// from published breach lists (digits and symbols around them are matched separately).
const COMMON: &[&str] = &[
    "password",
    "qwerty",
    "dragon",
    "letmein",
    "monkey",
    "football",
    "iloveyou",
    "admin",
    "welcome",
    "abc123",
    "sunshine",
    "princess",
    "master",
    "login",
    "shadow",
    "superman",
    "baseball",
    "trustno1",
    "passw0rd",
    "starwars",
    "whatever",
    "freedom",
    "charlie",
    "michael",
    "jennifer",
    "jordan",
    "hunter",
    "ranger",
    "buster",
    "soccer",
    "hockey",
    "killer",
    "george",
    "andrew",
    "thomas",
    "daniel",
    "jessica",
    "pepper",
    "ginger",
    "summer",
    "winter",
    "spring",
    "autumn",
    "liverpool",
    "arsenal",
    "chelsea",
    "manchester",
    "united",
    "tottenham",
    "everton",
    "london",
    "england",
    "scotland",
    "wales",
    "ireland",
    "britain",
    "school",
    "teacher",
    "senco",
    "student",
    "pupil",
    "changeme",
    "secret",
    "administrator",
    "computer",
    "internet",
    "hello",
    "access",
    "flower",
    "cookie",
    "chocolate",
    "purple",
    "orange",
    "yellow",
    "silver",
    "golden",
    "diamond",
    "tigger",
    "pokemon",
    "minecraft",
    "fortnite",
    "matrix",
    "ninja",
    "cheese",
    "banana",
    "apple",
    "lovely",
    "angel",
    "family",
    "friends",
    "mother",
    "father",
    "baby",
    "love",
    "loveme",
    "blessed",
    "jesus",
    "forever",
    "happy",
    "smile",
    "qazwsx",
    "mustang",
    "harley",
    "batman",
    "soccer",
    "tennis",
    "golf",
    "cricket",
    "rugby",
    "dolphin",
    "butterfly",
    "rainbow",
    "sparkle",
    "angels",
    "flowers",
    "nicole",
    "daniel",
    "ashley",
    "jessie",
    "amanda",
    "sophie",
    "emily",
    "olivia",
    "jack",
    "harry",
    "oliver",
    "charlotte",
    "amelia",
    "george",
    "william",
    "james",
    "thomas",
    "samuel",
    "joshua",
    "matthew",
    "robert",
    "richard",
    "david",
    "john",
    "paul",
    "peter",
    "sarah",
    "emma",
    "lucy",
    "hannah",
    "rebecca",
    "laura",
    "rachel",
    "claire",
    "helen",
    "michelle",
    "elizabeth",
    "victoria",
    "katie",
    "chloe",
    "jasmine",
    "alexander",
    "benjamin",
    "cameron",
    "christopher",
    "dylan",
    "ethan",
    "jacob",
    "lewis",
    "liam",
    "luke",
    "max",
    "nathan",
    "ryan",
    "tyler",
    "abigail",
    "ella",
    "grace",
    "isabella",
    "jade",
    "leah",
    "megan",
    "mia",
    "molly",
    "poppy",
    "ruby",
    "zoe",
    "maggie",
    "bailey",
    "buddy",
    "lucky",
    "toffee",
    "bella",
    "daisy",
    "rosie",
    "poppy",
    "coco",
    "teddy",
    "monster",
    "spider",
    "tiger",
    "tigers",
    "eagle",
    "eagles",
    "lion",
    "falcon",
    "phoenix",
    "wizard",
    "merlin",
    "gandalf",
    "hobbit",
    "jedi",
    "yoda",
    "pikachu",
    "mario",
    "sonic",
    "zelda",
    "cowboy",
    "cowboys",
    "yankees",
    "lakers",
    "dallas",
    "boston",
    "chicago",
    "austin",
    "london1",
    "paris",
    "berlin",
    "madrid",
    "florida",
    "texas",
    "california",
    "america",
    "mercedes",
    "ferrari",
    "porsche",
    "bmw",
    "toyota",
    "honda",
    "yamaha",
    "camaro",
    "corvette",
    "nascar",
    "thunder",
    "lightning",
    "storm",
    "hammer",
    "iceman",
    "maverick",
    "scooter",
    "snoopy",
    "mickey",
    "minnie",
    "disney",
    "barbie",
    "garfield",
    "scooby",
    "simpsons",
    "bubbles",
    "peanut",
    "biscuit",
    "muffin",
    "cupcake",
    "sweetie",
    "honey",
    "sugar",
    "candy",
    "money",
    "dollar",
    "rich",
    "boss",
    "king",
    "queen",
    "prince",
    "knight",
    "warrior",
    "soldier",
    "army",
    "marine",
    "pilot",
    "doctor",
    "nurse",
    "police",
    "fire",
    "water",
    "earth",
    "heaven",
    "angel1",
    "devil",
    "hell",
    "god",
    "christ",
    "faith",
    "hope",
    "peace",
    "trust",
    "truth",
    "dream",
    "dreams",
    "magic",
    "secret1",
    "private",
    "guest",
    "user",
    "test",
    "testing",
    "demo",
    "default",
    "system",
    "server",
    "office",
    "work",
    "home",
    "house",
    "garden",
    "library",
    "music",
    "guitar",
    "piano",
    "dance",
    "party",
    "summer1",
    "holiday",
    "beach",
    "ocean",
    "island",
    "sunset",
    "moon",
    "star",
    "stars",
    "galaxy",
    "planet",
    "space",
    "rocket",
    "robot",
    "zxcvbnm",
    "asdfgh",
    "qwertyuiop",
    "azerty",
    "iloveu",
    "loveyou",
    "babygirl",
    "sexy",
    "hottie",
    "lovers",
    "kisses",
    "blink182",
    "metallica",
    "nirvana",
    "slipknot",
    "gaming",
    "gamer",
    "xbox",
    "playstation",
    "nintendo",
    "fifa",
    "google",
    "facebook",
    "instagram",
    "youtube",
    "twitter",
    "samsung",
    "iphone",
    "apple1",
    "windows",
    "microsoft",
    "linux",
    "ubuntu",
    "oracle",
    "welcome1",
    "hello1",
    "abc",
    "abcd",
    "abcdef",
    "qwe",
    "asd",
    "zxc",
    "pass",
    "word",
    "key",
    "open",
    "sesame",
    "opensesame",
    "letmein1",
    "nothing",
    "anything",
    "something",
    "everything",
    "whatever1",
    "correcthorsebatterystaple",
    "sencodesk",
    "desk",
    "special",
    "needs",
    "education",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn rating(p: &str) -> Rating {
        assess(p, "").rating
    }

    #[test]
    fn point_5_password1234_is_refused_with_the_reason() {
        let a = assess("password1234", "");
        assert_eq!(a.rating, Rating::TooEasy, "{a:?}");
        let why = a.refusal().expect("refused");
        assert!(
            why.contains("\u{201c}password\u{201d} is one of the most used passwords"),
            "{why}"
        );
    }

    #[test]
    fn point_5_common_passwords_dressed_up_are_refused() {
        for p in [
            "Password1234",
            "P@ssw0rd2026!",
            "passwordpassword",
            "iloveyou2016",
            "qwertyuiop12",
            "liverpool1892",
            "aaaaaaaaaaaaaaaa",
            "abcdefghijklmnop",
            "123456789012",
            "football01092016",
            "Letmein!Letmein!",
        ] {
            assert_eq!(rating(p), Rating::TooEasy, "{p}: {:?}", assess(p, ""));
        }
    }

    #[test]
    fn point_5_the_school_name_is_guessed_first() {
        let a = assess("OakfieldPrimary2026", "Oakfield Primary");
        assert_eq!(a.rating, Rating::TooEasy, "{a:?}");
        assert!(a.refusal().unwrap().contains("school\u{2019}s name"));
        // The same passphrase elsewhere is only weak, not about this school.
        assert_ne!(
            assess("OakfieldPrimary2026", "").weakness.as_deref(),
            Some("it contains the school\u{2019}s name")
        );
    }

    #[test]
    fn point_5_a_long_random_phrase_is_strong() {
        for p in [
            "purple tractor singing lighthouse",
            "autumn harbour pencil giraffe",
            "kettle umbrella glacier violin",
            "vQ7#rT2!mZ9@wL4$",
        ] {
            assert_eq!(rating(p), Rating::Strong, "{p}: {:?}", assess(p, ""));
        }
    }

    #[test]
    fn point_5_ratings_rise_with_the_guesses() {
        let fair = assess("kettle umbrella", "");
        assert_eq!(fair.rating, Rating::Fair, "{fair:?}");
        assert_eq!(
            rating("kettle umbrella 1962"),
            Rating::Good,
            "{:?}",
            assess("kettle umbrella 1962", "")
        );
        assert_eq!(rating("colleague copy passphrase"), Rating::Strong);
        let longer = assess("kettle umbrella wobbly", "");
        assert!(longer.guesses_log10 > fair.guesses_log10);
    }

    #[test]
    fn dates_are_read_either_way_round() {
        assert!(looks_like_date("010916"));
        assert!(looks_like_date("20160901"));
        assert!(!looks_like_date("999999"));
    }
}
