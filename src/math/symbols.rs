//! TeX command names → Unicode, and the small Unicode alphabets (scripts, double-struck…).

/// The character a symbol command stands for: Greek letters, operators, relations, arrows.
pub fn symbol(name: &str) -> Option<char> {
    Some(match name {
        "alpha" => 'α',
        "beta" => 'β',
        "gamma" => 'γ',
        "delta" => 'δ',
        "epsilon" => 'ϵ',
        "varepsilon" => 'ε',
        "zeta" => 'ζ',
        "eta" => 'η',
        "theta" => 'θ',
        "vartheta" => 'ϑ',
        "iota" => 'ι',
        "kappa" => 'κ',
        "lambda" => 'λ',
        "mu" => 'μ',
        "nu" => 'ν',
        "xi" => 'ξ',
        "omicron" => 'ο',
        "pi" => 'π',
        "varpi" => 'ϖ',
        "rho" => 'ρ',
        "varrho" => 'ϱ',
        "sigma" => 'σ',
        "varsigma" => 'ς',
        "tau" => 'τ',
        "upsilon" => 'υ',
        "phi" => 'ϕ',
        "varphi" => 'φ',
        "chi" => 'χ',
        "psi" => 'ψ',
        "omega" => 'ω',
        "Gamma" => 'Γ',
        "Delta" => 'Δ',
        "Theta" => 'Θ',
        "Lambda" => 'Λ',
        "Xi" => 'Ξ',
        "Pi" => 'Π',
        "Sigma" => 'Σ',
        "Upsilon" => 'Υ',
        "Phi" => 'Φ',
        "Psi" => 'Ψ',
        "Omega" => 'Ω',
        "ell" => 'ℓ',
        "hbar" => 'ℏ',
        "Re" => 'ℜ',
        "Im" => 'ℑ',
        "aleph" => 'ℵ',
        "wp" => '℘',
        "sum" => '∑',
        "prod" => '∏',
        "coprod" => '∐',
        "int" => '∫',
        "iint" => '∬',
        "iiint" => '∭',
        "oint" => '∮',
        "bigcup" => '⋃',
        "bigcap" => '⋂',
        "bigoplus" => '⨁',
        "bigotimes" => '⨂',
        "infty" => '∞',
        "partial" => '∂',
        "nabla" => '∇',
        "emptyset" | "varnothing" => '∅',
        "forall" => '∀',
        "exists" => '∃',
        "nexists" => '∄',
        "neg" | "lnot" => '¬',
        "pm" => '±',
        "mp" => '∓',
        "times" => '×',
        "div" => '÷',
        "cdot" => '⋅',
        "ast" => '∗',
        "star" => '⋆',
        "circ" => '∘',
        "bullet" => '∙',
        "oplus" => '⊕',
        "ominus" => '⊖',
        "otimes" => '⊗',
        "odot" => '⊙',
        "cup" => '∪',
        "cap" => '∩',
        "setminus" => '∖',
        "wedge" | "land" => '∧',
        "vee" | "lor" => '∨',
        "leq" | "le" => '≤',
        "geq" | "ge" => '≥',
        "leqslant" => '⩽',
        "geqslant" => '⩾',
        "neq" | "ne" => '≠',
        "ll" => '≪',
        "gg" => '≫',
        "approx" => '≈',
        "simeq" => '≃',
        "cong" => '≅',
        "equiv" => '≡',
        "sim" => '∼',
        "propto" => '∝',
        "doteq" => '≐',
        "prec" => '≺',
        "succ" => '≻',
        "preceq" => '⪯',
        "succeq" => '⪰',
        "in" => '∈',
        "notin" => '∉',
        "ni" | "owns" => '∋',
        "subset" => '⊂',
        "supset" => '⊃',
        "subseteq" => '⊆',
        "supseteq" => '⊇',
        "subsetneq" => '⊊',
        "mid" => '∣',
        "nmid" => '∤',
        "parallel" => '∥',
        "perp" => '⊥',
        "vdash" => '⊢',
        "models" => '⊨',
        "to" | "rightarrow" => '→',
        "gets" | "leftarrow" => '←',
        "leftrightarrow" => '↔',
        "Rightarrow" | "implies" => '⇒',
        "Leftarrow" | "impliedby" => '⇐',
        "Leftrightarrow" | "iff" => '⇔',
        "mapsto" => '↦',
        "longrightarrow" => '⟶',
        "longmapsto" => '⟼',
        "uparrow" => '↑',
        "downarrow" => '↓',
        "hookrightarrow" => '↪',
        "langle" => '⟨',
        "rangle" => '⟩',
        "lceil" => '⌈',
        "rceil" => '⌉',
        "lfloor" => '⌊',
        "rfloor" => '⌋',
        "lbrace" | "{" => '{',
        "rbrace" | "}" => '}',
        "vert" | "lvert" | "rvert" => '|',
        "|" | "Vert" | "lVert" | "rVert" => '‖',
        "backslash" => '\\',
        "ldots" | "dots" | "dotsc" | "dotso" => '…',
        "cdots" | "dotsb" | "dotsm" => '⋯',
        "vdots" => '⋮',
        "ddots" => '⋱',
        "prime" => '′',
        "degree" => '°',
        "angle" => '∠',
        "triangle" => '△',
        "square" | "Box" => '□',
        "therefore" => '∴',
        "because" => '∵',
        "top" => '⊤',
        "bot" => '⊥',
        "dagger" => '†',
        "S" => '§',
        "%" => '%',
        "$" => '$',
        "#" => '#',
        "&" => '&',
        "_" => '_',
        _ => return None,
    })
}

/// Whether a symbol is a letter set like a variable (Greek lowercase and the like), not an
/// upright operator or capital.
pub fn is_letter(c: char) -> bool {
    matches!(c, 'α'..='ω' | 'ϵ' | 'ϑ' | 'ϕ' | 'ϖ' | 'ϱ' | 'ℓ' | 'ℏ')
}

/// Function names set upright: `\sin`, `\log`, `\lim`.
pub fn is_function(name: &str) -> bool {
    matches!(
        name,
        "sin"
            | "cos"
            | "tan"
            | "cot"
            | "sec"
            | "csc"
            | "arcsin"
            | "arccos"
            | "arctan"
            | "sinh"
            | "cosh"
            | "tanh"
            | "coth"
            | "log"
            | "ln"
            | "lg"
            | "exp"
            | "lim"
            | "liminf"
            | "limsup"
            | "max"
            | "min"
            | "sup"
            | "inf"
            | "det"
            | "dim"
            | "ker"
            | "deg"
            | "gcd"
            | "arg"
            | "hom"
            | "Pr"
            | "mod"
            | "bmod"
            | "pmod"
    )
}

/// Whether an operator is a relation or binary operator, spaced in a line of text.
pub fn is_spaced_operator(op: &str) -> bool {
    let mut chars = op.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return false;
    };
    matches!(
        c,
        '=' | '<'
            | '>'
            | '+'
            | '−'
            | '±'
            | '∓'
            | '×'
            | '÷'
            | '⋅'
            | '≤'
            | '≥'
            | '⩽'
            | '⩾'
            | '≠'
            | '≈'
            | '≃'
            | '≅'
            | '≡'
            | '∼'
            | '∝'
            | '≪'
            | '≫'
            | '∈'
            | '∉'
            | '∋'
            | '⊂'
            | '⊃'
            | '⊆'
            | '⊇'
            | '∪'
            | '∩'
            | '→'
            | '←'
            | '↔'
            | '⇒'
            | '⇐'
            | '⇔'
            | '↦'
            | '⟶'
            | '∧'
            | '∨'
            | '⊕'
            | '⊗'
    )
}

/// The combining character an accent command puts over its argument.
pub fn accent(name: &str) -> Option<char> {
    Some(match name {
        "hat" | "widehat" => '\u{302}',
        "bar" | "overline" => '\u{305}',
        "vec" | "overrightarrow" => '\u{20d7}',
        "tilde" | "widetilde" => '\u{303}',
        "dot" => '\u{307}',
        "ddot" => '\u{308}',
        "acute" => '\u{301}',
        "grave" => '\u{300}',
        "breve" => '\u{306}',
        "check" => '\u{30c}',
        "underline" => '\u{332}',
        _ => return None,
    })
}

/// The spacing form of a combining accent, as MathML's `<mover>` wants it.
pub fn spacing_accent(mark: char) -> char {
    match mark {
        '\u{302}' => '^',
        '\u{305}' => '¯',
        '\u{20d7}' => '→',
        '\u{303}' => '~',
        '\u{307}' => '˙',
        '\u{308}' => '¨',
        '\u{301}' => '´',
        '\u{300}' => '`',
        '\u{306}' => '˘',
        '\u{30c}' => 'ˇ',
        '\u{332}' => '_',
        other => other,
    }
}

/// The superscript form of a character, where Unicode has one.
pub fn superscript_char(c: char) -> Option<char> {
    Some(match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4' => '⁴',
        '5' => '⁵',
        '6' => '⁶',
        '7' => '⁷',
        '8' => '⁸',
        '9' => '⁹',
        '+' => '⁺',
        '-' | '−' => '⁻',
        '=' => '⁼',
        '(' => '⁽',
        ')' => '⁾',
        'n' => 'ⁿ',
        'i' => 'ⁱ',
        '′' => '′',
        _ => return None,
    })
}

/// The subscript form of a character, where Unicode has one.
pub fn subscript_char(c: char) -> Option<char> {
    Some(match c {
        '0' => '₀',
        '1' => '₁',
        '2' => '₂',
        '3' => '₃',
        '4' => '₄',
        '5' => '₅',
        '6' => '₆',
        '7' => '₇',
        '8' => '₈',
        '9' => '₉',
        '+' => '₊',
        '-' | '−' => '₋',
        '=' => '₌',
        '(' => '₍',
        ')' => '₎',
        'a' => 'ₐ',
        'e' => 'ₑ',
        'o' => 'ₒ',
        'x' => 'ₓ',
        'h' => 'ₕ',
        'k' => 'ₖ',
        'l' => 'ₗ',
        'm' => 'ₘ',
        'n' => 'ₙ',
        'p' => 'ₚ',
        's' => 'ₛ',
        't' => 'ₜ',
        'i' => 'ᵢ',
        'j' => 'ⱼ',
        'r' => 'ᵣ',
        'u' => 'ᵤ',
        'v' => 'ᵥ',
        _ => return None,
    })
}

/// Double-struck capitals (`\mathbb{R}` → ℝ).
pub fn double_struck(c: char) -> Option<char> {
    Some(match c {
        'C' => 'ℂ',
        'H' => 'ℍ',
        'N' => 'ℕ',
        'P' => 'ℙ',
        'Q' => 'ℚ',
        'R' => 'ℝ',
        'Z' => 'ℤ',
        'A'..='Z' => char::from_u32(0x1D538 + (c as u32 - 'A' as u32))?,
        _ => return None,
    })
}

/// Script capitals (`\mathcal{L}` → ℒ).
pub fn script(c: char) -> Option<char> {
    Some(match c {
        'B' => 'ℬ',
        'E' => 'ℰ',
        'F' => 'ℱ',
        'H' => 'ℋ',
        'I' => 'ℐ',
        'L' => 'ℒ',
        'M' => 'ℳ',
        'R' => 'ℛ',
        'A'..='Z' => char::from_u32(0x1D49C + (c as u32 - 'A' as u32))?,
        _ => return None,
    })
}

/// Fraktur capitals (`\mathfrak{g}` keeps lowercase as it is).
pub fn fraktur(c: char) -> Option<char> {
    Some(match c {
        'C' => 'ℭ',
        'H' => 'ℌ',
        'I' => 'ℑ',
        'R' => 'ℜ',
        'Z' => 'ℨ',
        'A'..='Z' => char::from_u32(0x1D504 + (c as u32 - 'A' as u32))?,
        _ => return None,
    })
}
