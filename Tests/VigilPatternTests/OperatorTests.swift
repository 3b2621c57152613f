import Testing
@testable import VigilPattern

// Match tables per EventBridge operator. Every verdict is event-ruler 2.0.1's (many rows are
// taken from, or are close neighbours of, the shared conformance cases). Patterns and events are
// JSON text, as a rule author writes them.

/// Exact values: strings, numbers, `true`, `false`, `null` and `""` match only themselves, with
/// no conversion between types.
@Suite("Operators: exact values and types")
struct ExactValueTests {
    static let cases: [PatternCase] = [
        .match(#"{"a":["x"]}"#, #"{"a":"x"}"#),
        .noMatch(#"{"a":["x"]}"#, #"{"a":"X"}"#),
        .noMatch(#"{"a":["x"]}"#, #"{"a":"xy"}"#),
        .noMatch(#"{"a":["x"]}"#, #"{"a":" x"}"#),
        .noMatch(#"{"a":["x"]}"#, #"{"b":"x"}"#),
        .noMatch(#"{"a":["x"]}"#, #"{}"#),
        .match(#"{"a":["Straße"]}"#, #"{"a":"Straße"}"#),
        .match(#"{"a":[5]}"#, #"{"a":5}"#),
        .noMatch(#"{"a":[5]}"#, #"{"a":6}"#),
        .match(#"{"a":[-273]}"#, #"{"a":-273.0}"#),
        .match(#"{"a":[true]}"#, #"{"a":true}"#),
        .noMatch(#"{"a":[true]}"#, #"{"a":false}"#),
        .match(#"{"a":[false]}"#, #"{"a":false}"#),
        .noMatch(#"{"a":[false]}"#, #"{"a":null}"#),
        .match(#"{"a":[null]}"#, #"{"a":null}"#),
        .noMatch(#"{"a":[null]}"#, #"{}"#),
        .noMatch(#"{"a":[null]}"#, #"{"a":""}"#),
        .match(#"{"a":[""]}"#, #"{"a":""}"#),
        .noMatch(#"{"a":[""]}"#, #"{"a":null}"#),
        .noMatch(#"{"a":[""]}"#, #"{}"#),
        .noMatch(#"{"a":[""]}"#, #"{"a":[]}"#),
        // Type exactness.
        .noMatch(#"{"a":[true]}"#, #"{"a":"true"}"#),
        .noMatch(#"{"a":["true"]}"#, #"{"a":true}"#),
        .noMatch(#"{"a":[5]}"#, #"{"a":"5"}"#),
        .noMatch(#"{"a":["5"]}"#, #"{"a":5}"#),
        .noMatch(#"{"a":["null"]}"#, #"{"a":null}"#),
        .noMatch(#"{"a":[null]}"#, #"{"a":"null"}"#),
        .noMatch(#"{"a":[0]}"#, #"{"a":false}"#),
        .noMatch(#"{"a":[false]}"#, #"{"a":0}"#),
        .noMatch(#"{"a":[1]}"#, #"{"a":true}"#),
        .noMatch(#"{"a":["x"]}"#, #"{"a":{"b":"x"}}"#),
    ]

    @Test("exact value", arguments: cases)
    func exact(_ testCase: PatternCase) { PatternCheck.check(testCase) }
}

/// A field's list of values is an OR; sibling fields are an AND; nested objects name nested
/// paths, and a key holding a dot names the same path as the nested keys.
@Suite("Operators: value lists, sibling fields and nesting")
struct StructureTests {
    static let cases: [PatternCase] = [
        // Value lists (OR).
        .match(#"{"a":["x","y"]}"#, #"{"a":"y"}"#),
        .match(#"{"a":["x","y"]}"#, #"{"a":"x"}"#),
        .noMatch(#"{"a":["x","y"]}"#, #"{"a":"z"}"#),
        .match(#"{"a":["x",5,null,true]}"#, #"{"a":5}"#),
        .match(#"{"a":["x",5,null,true]}"#, #"{"a":null}"#),
        .match(#"{"a":["x",5,null,true]}"#, #"{"a":true}"#),
        .noMatch(#"{"a":["x",5,null,true]}"#, #"{"a":false}"#),
        .match(#"{"a":[{"prefix":"p"},"x"]}"#, #"{"a":"pq"}"#),
        .match(#"{"a":[{"prefix":"p"},"x"]}"#, #"{"a":"x"}"#),
        .noMatch(#"{"a":[{"prefix":"p"},"x"]}"#, #"{"a":"q"}"#),
        // Sibling fields (AND).
        .match(#"{"a":["x"],"b":["y"]}"#, #"{"a":"x","b":"y"}"#),
        .match(#"{"a":["x"],"b":["y"]}"#, #"{"c":1,"b":"y","a":"x","d":[1,2]}"#),
        .noMatch(#"{"a":["x"],"b":["y"]}"#, #"{"a":"x"}"#),
        .noMatch(#"{"a":["x"],"b":["y"]}"#, #"{"b":"y"}"#),
        .noMatch(#"{"a":["x"],"b":["y"]}"#, #"{"a":"x","b":"z"}"#),
        // Nested objects.
        .match(#"{"a":{"b":{"c":["x"]}}}"#, #"{"a":{"b":{"c":"x"}}}"#),
        .match(#"{"a":{"b":{"c":["x"]}}}"#, #"{"a":{"z":1,"b":{"y":[1],"c":"x"}}}"#),
        .noMatch(#"{"a":{"b":{"c":["x"]}}}"#, #"{"a":{"c":"x"}}"#),
        .noMatch(#"{"a":{"b":{"c":["x"]}}}"#, #"{"a":{"b":"x"}}"#),
        .noMatch(#"{"a":{"b":{"c":["x"]}}}"#, #"{"c":"x"}"#),
        .noMatch(#"{"a":{"b":{"c":["x"]}}}"#, #"{"a":{"b":{"c":{"d":"x"}}}}"#),
        .match(#"{"detail":{"state":["on"]},"source":["s"]}"#, #"{"source":"s","detail":{"state":"on"}}"#),
        .noMatch(#"{"detail":{"state":["on"]}}"#, #"{"state":"on","detail":{"x":"on"}}"#),
        // A key containing a dot is the nested path, both ways.
        .match(#"{"a":{"b":["x"]}}"#, #"{"a.b":"x"}"#),
        .match(#"{"a.b":["x"]}"#, #"{"a":{"b":"x"}}"#),
        .match(#"{"a":{"b":{"c":["x"]}}}"#, #"{"a.b":{"c":"x"}}"#),
        .match(#"{"a":{"b":{"c":["x"]}}}"#, #"{"a":{"b.c":"x"}}"#),
        .noMatch(#"{"a":{"b":["x"]}}"#, #"{"a.b":"y"}"#),
        .noMatch(#"{"a":{"0":["x"]}}"#, #"{"a":["x"]}"#),
    ]

    @Test("structure", arguments: cases)
    func structure(_ testCase: PatternCase) { PatternCheck.check(testCase) }
}

/// `prefix` and `prefix` + `equals-ignore-case`: strings only, compared by bytes (or by case-folded
/// characters); the empty prefix matches every string.
@Suite("Operators: prefix")
struct PrefixTests {
    static let cases: [PatternCase] = [
        .match(#"{"a":[{"prefix":"us-"}]}"#, #"{"a":"us-east-1"}"#),
        .match(#"{"a":[{"prefix":"us-"}]}"#, #"{"a":"us-"}"#),
        .noMatch(#"{"a":[{"prefix":"us-"}]}"#, #"{"a":"us"}"#),
        .noMatch(#"{"a":[{"prefix":"us-"}]}"#, #"{"a":"eu-west-1"}"#),
        .noMatch(#"{"a":[{"prefix":"us-"}]}"#, #"{"a":"US-EAST-1"}"#),
        .noMatch(#"{"a":[{"prefix":"us-"}]}"#, #"{"a":" us-east-1"}"#),
        .noMatch(#"{"a":[{"prefix":"1"}]}"#, #"{"a":123}"#),
        .noMatch(#"{"a":[{"prefix":"n"}]}"#, #"{"a":null}"#),
        .noMatch(#"{"a":[{"prefix":"t"}]}"#, #"{"a":true}"#),
        .match(#"{"a":[{"prefix":""}]}"#, #"{"a":"x"}"#),
        .match(#"{"a":[{"prefix":""}]}"#, #"{"a":""}"#),
        .noMatch(#"{"a":[{"prefix":""}]}"#, #"{"a":1}"#),
        .match(#"{"a":[{"prefix":"é"}]}"#, #"{"a":"été"}"#),
        .noMatch(#"{"a":[{"prefix":"aws."}]}"#, #"{"a":"àws.x"}"#),
        .match(#"{"a":[{"prefix":"Delete"},{"prefix":"Put"}]}"#, #"{"a":"PutObject"}"#),
        // prefix + equals-ignore-case.
        .match(#"{"a":[{"prefix":{"equals-ignore-case":"AWS."}}]}"#, #"{"a":"aws.ec2"}"#),
        .match(#"{"a":[{"prefix":{"equals-ignore-case":"AWS."}}]}"#, #"{"a":"Aws.Ec2"}"#),
        .match(#"{"a":[{"prefix":{"equals-ignore-case":"AWS."}}]}"#, #"{"a":"AWS."}"#),
        .noMatch(#"{"a":[{"prefix":{"equals-ignore-case":"AWS."}}]}"#, #"{"a":"xaws."}"#),
        .noMatch(#"{"a":[{"prefix":{"equals-ignore-case":"AWS."}}]}"#, #"{"a":"aws"}"#),
        .noMatch(#"{"a":[{"prefix":{"equals-ignore-case":"null"}}]}"#, #"{"a":null}"#),
        .match(#"{"a":[{"prefix":{"equals-ignore-case":"Москва"}}]}"#, #"{"a":"МОСКВА-tail"}"#),
        .noMatch(#"{"a":[{"prefix":{"equals-ignore-case":"K"}}]}"#, #"{"a":"xk"}"#),
        .noMatch(#"{"a":[{"prefix":{"equals-ignore-case":"straße"}}]}"#, #"{"a":"strasse-tail"}"#),
        .noMatch(#"{"a":[{"prefix":{"equals-ignore-case":"Zürich"}}]}"#, #"{"a":"ZURICH-tail"}"#),
    ]

    @Test("prefix", arguments: cases)
    func prefix(_ testCase: PatternCase) { PatternCheck.check(testCase) }
}

/// `suffix` and `suffix` + `equals-ignore-case`.
@Suite("Operators: suffix")
struct SuffixTests {
    static let cases: [PatternCase] = [
        .match(#"{"a":[{"suffix":".png"}]}"#, #"{"a":"photo.png"}"#),
        .match(#"{"a":[{"suffix":".png"}]}"#, #"{"a":".png"}"#),
        .noMatch(#"{"a":[{"suffix":".png"}]}"#, #"{"a":"photo.PNG"}"#),
        .noMatch(#"{"a":[{"suffix":".png"}]}"#, #"{"a":"photo.png.exe"}"#),
        .noMatch(#"{"a":[{"suffix":".png"}]}"#, #"{"a":"png"}"#),
        .noMatch(#"{"a":[{"suffix":"1"}]}"#, #"{"a":21}"#),
        .noMatch(#"{"a":[{"suffix":"l"}]}"#, #"{"a":null}"#),
        .match(#"{"a":[{"suffix":""}]}"#, #"{"a":"x"}"#),
        .match(#"{"a":[{"suffix":""}]}"#, #"{"a":""}"#),
        .noMatch(#"{"a":[{"suffix":""}]}"#, #"{"a":false}"#),
        .match(#"{"a":[{"suffix":"_FAILED"}]}"#, #"{"a":["ok","x_FAILED"]}"#),
        // suffix + equals-ignore-case.
        .match(#"{"a":[{"suffix":{"equals-ignore-case":".PNG"}}]}"#, #"{"a":"x.png"}"#),
        .match(#"{"a":[{"suffix":{"equals-ignore-case":".PNG"}}]}"#, #"{"a":"X.Png"}"#),
        .match(#"{"a":[{"suffix":{"equals-ignore-case":".PNG"}}]}"#, #"{"a":".PNG"}"#),
        .noMatch(#"{"a":[{"suffix":{"equals-ignore-case":".PNG"}}]}"#, #"{"a":"x.pn"}"#),
        .noMatch(#"{"a":[{"suffix":{"equals-ignore-case":".PNG"}}]}"#, #"{"a":"x.png "}"#),
        .match(#"{"a":[{"suffix":{"equals-ignore-case":"traße"}}]}"#, #"{"a":"prod/TRASSE"}"#),
        .noMatch(#"{"a":[{"suffix":{"equals-ignore-case":"traße"}}]}"#, #"{"a":"kgtra\u00dfe\n"}"#),
    ]

    @Test("suffix", arguments: cases)
    func suffix(_ testCase: PatternCase) { PatternCheck.check(testCase) }
}

/// `equals-ignore-case` folds each character of the operand to its own lower and upper case, as
/// Java does character by character: `ß` matches `SS` but `SS` does not match `ß`; final sigma
/// is not sigma; the Kelvin sign is not `k`.
@Suite("Operators: equals-ignore-case")
struct EqualsIgnoreCaseTests {
    static let cases: [PatternCase] = [
        .match(#"{"a":[{"equals-ignore-case":"Alice"}]}"#, #"{"a":"alice"}"#),
        .match(#"{"a":[{"equals-ignore-case":"Alice"}]}"#, #"{"a":"ALICE"}"#),
        .match(#"{"a":[{"equals-ignore-case":"Alice"}]}"#, #"{"a":"aLiCe"}"#),
        .match(#"{"a":[{"equals-ignore-case":"Alice"}]}"#, #"{"a":"Alice"}"#),
        .noMatch(#"{"a":[{"equals-ignore-case":"Alice"}]}"#, #"{"a":"Alic"}"#),
        .noMatch(#"{"a":[{"equals-ignore-case":"Alice"}]}"#, #"{"a":"Alices"}"#),
        .noMatch(#"{"a":[{"equals-ignore-case":"1"}]}"#, #"{"a":1}"#),
        .noMatch(#"{"a":[{"equals-ignore-case":"null"}]}"#, #"{"a":null}"#),
        .noMatch(#"{"a":[{"equals-ignore-case":"true"}]}"#, #"{"a":true}"#),
        .match(#"{"a":[{"equals-ignore-case":"résumé"}]}"#, #"{"a":"RÉSUMÉ"}"#),
        .match(#"{"a":[{"equals-ignore-case":"ÅÄÖ"}]}"#, #"{"a":"åäö"}"#),
        .match(#"{"a":[{"equals-ignore-case":"ĳssel"}]}"#, #"{"a":"Ĳssel"}"#),
        // ß: its upper case is SS, so SS matches; the reverse does not hold.
        .match(#"{"a":[{"equals-ignore-case":"ß"}]}"#, #"{"a":"SS"}"#),
        .match(#"{"a":[{"equals-ignore-case":"ß"}]}"#, #"{"a":"ß"}"#),
        .match(#"{"a":[{"equals-ignore-case":"Straße"}]}"#, #"{"a":"STRASSE"}"#),
        .noMatch(#"{"a":[{"equals-ignore-case":"SS"}]}"#, #"{"a":"ß"}"#),
        .noMatch(#"{"a":[{"equals-ignore-case":"STRASSE"}]}"#, #"{"a":"straße"}"#),
        // Sigma: Σ folds to σ, never to the final form ς.
        .match(#"{"a":[{"equals-ignore-case":"ΣΑΣ"}]}"#, #"{"a":"σασ"}"#),
        .noMatch(#"{"a":[{"equals-ignore-case":"ΣΑΣ"}]}"#, #"{"a":"σας"}"#),
        .noMatch(#"{"a":[{"equals-ignore-case":"\u03a3\u0391\u03a3"}]}"#, #"{"a":"σασx"}"#),
        // The Kelvin sign (U+212A) is not k; dotless ı is not I.
        .noMatch(#"{"a":[{"equals-ignore-case":"k"}]}"#, #"{"a":"\u212A"}"#),
        .noMatch(#"{"a":[{"equals-ignore-case":"I"}]}"#, #"{"a":"ı"}"#),
    ]

    @Test("equals-ignore-case", arguments: cases)
    func equalsIgnoreCase(_ testCase: PatternCase) { PatternCheck.check(testCase) }
}

/// `anything-but`: a field matches when some value of it is not excluded. Values of another type
/// than the exclusions (numbers, `null`, `true` for a string list) are never excluded; a field
/// that is absent, an empty array or an object has no value and does not match.
@Suite("Operators: anything-but")
struct AnythingButTests {
    static let cases: [PatternCase] = [
        // Single string.
        .match(#"{"a":[{"anything-but":"x"}]}"#, #"{"a":"y"}"#),
        .noMatch(#"{"a":[{"anything-but":"x"}]}"#, #"{"a":"x"}"#),
        .match(#"{"a":[{"anything-but":"x"}]}"#, #"{"a":"X"}"#),
        .match(#"{"a":[{"anything-but":"x"}]}"#, #"{"a":5}"#),
        .match(#"{"a":[{"anything-but":"x"}]}"#, #"{"a":null}"#),
        .match(#"{"a":[{"anything-but":"x"}]}"#, #"{"a":true}"#),
        .noMatch(#"{"a":[{"anything-but":"x"}]}"#, #"{"b":"y"}"#),
        .noMatch(#"{"a":[{"anything-but":"x"}]}"#, #"{"a":[]}"#),
        .noMatch(#"{"a":[{"anything-but":"x"}]}"#, #"{"a":{"b":"y"}}"#),
        .match(#"{"a":[{"anything-but":"x"}]}"#, #"{"a":["x","y"]}"#),
        .noMatch(#"{"a":[{"anything-but":"x"}]}"#, #"{"a":["x","x"]}"#),
        // String list.
        .match(#"{"a":[{"anything-but":["x","y"]}]}"#, #"{"a":"z"}"#),
        .noMatch(#"{"a":[{"anything-but":["x","y"]}]}"#, #"{"a":"x"}"#),
        .noMatch(#"{"a":[{"anything-but":["x","y"]}]}"#, #"{"a":"y"}"#),
        .match(#"{"a":[{"anything-but":["x","y"]}]}"#, #"{"a":5}"#),
        .match(#"{"a":[{"anything-but":["x","y"]}]}"#, #"{"a":null}"#),
        .match(#"{"a":[{"anything-but":["x","y"]}]}"#, #"{"a":true}"#),
        .match(#"{"a":[{"anything-but":["baz"]}]}"#, #"{"a":false}"#),
        .noMatch(#"{"a":[{"anything-but":["x","y"]}]}"#, #"{"a":[]}"#),
        .noMatch(#"{"a":[{"anything-but":["x","y"]}]}"#, #"{"a":{"x":1}}"#),
        .noMatch(#"{"a":[{"anything-but":["x","y"]}]}"#, #"{}"#),
        .match(#"{"a":[{"anything-but":["x"]}]}"#, #"{"a":["x","y"]}"#),
        .noMatch(#"{"a":[{"anything-but":["x","y"]}]}"#, #"{"a":["x","y"]}"#),
        .match(#"{"a":[{"anything-but":["x","y"]}]}"#, #"{"a":["x",7]}"#),
        // Single number and number list (compared by value; strings are never excluded).
        .match(#"{"a":[{"anything-but":5}]}"#, #"{"a":6}"#),
        .noMatch(#"{"a":[{"anything-but":5}]}"#, #"{"a":5}"#),
        .noMatch(#"{"a":[{"anything-but":5}]}"#, #"{"a":5.0}"#),
        .match(#"{"a":[{"anything-but":5}]}"#, #"{"a":"5"}"#),
        .match(#"{"a":[{"anything-but":6e8}]}"#, #"{"a":"6e8"}"#),
        .match(#"{"a":[{"anything-but":5}]}"#, #"{"a":null}"#),
        .match(#"{"a":[{"anything-but":[1,2.5]}]}"#, #"{"a":3}"#),
        .noMatch(#"{"a":[{"anything-but":[1,2.5]}]}"#, #"{"a":2.5}"#),
        .noMatch(#"{"a":[{"anything-but":[1,2.5]}]}"#, #"{"a":1}"#),
        .match(#"{"a":[{"anything-but":[1,2.5]}]}"#, #"{"a":"1"}"#),
        .match(#"{"a":[{"anything-but":[1,2.5]}]}"#, #"{"a":true}"#),
        .noMatch(#"{"a":[{"anything-but":[-1,215.38,1000,-1.5E+2]}]}"#, #"{"a":-150}"#),
        .noMatch(#"{"a":[{"anything-but":[1,2.5]}]}"#, #"{"a":[]}"#),
        // Prefix, single and list.
        .noMatch(#"{"a":[{"anything-but":{"prefix":"init"}}]}"#, #"{"a":"initializing"}"#),
        .match(#"{"a":[{"anything-but":{"prefix":"init"}}]}"#, #"{"a":"running"}"#),
        .match(#"{"a":[{"anything-but":{"prefix":"init"}}]}"#, #"{"a":"ini"}"#),
        .match(#"{"a":[{"anything-but":{"prefix":"init"}}]}"#, #"{"a":null}"#),
        .match(#"{"a":[{"anything-but":{"prefix":"init"}}]}"#, #"{"a":5}"#),
        .noMatch(#"{"a":[{"anything-but":{"prefix":"init"}}]}"#, #"{}"#),
        .noMatch(#"{"a":[{"anything-but":{"prefix":["in","er"]}}]}"#, #"{"a":"error"}"#),
        .noMatch(#"{"a":[{"anything-but":{"prefix":["in","er"]}}]}"#, #"{"a":"input"}"#),
        .match(#"{"a":[{"anything-but":{"prefix":["in","er"]}}]}"#, #"{"a":"ok"}"#),
        .match(#"{"a":[{"anything-but":{"prefix":"init"}}]}"#, #"{"a":["init-1","run"]}"#),
        // Suffix, single and list.
        .noMatch(#"{"a":[{"anything-but":{"suffix":".png"}}]}"#, #"{"a":"a.png"}"#),
        .match(#"{"a":[{"anything-but":{"suffix":".png"}}]}"#, #"{"a":"a.jpg"}"#),
        .match(#"{"a":[{"anything-but":{"suffix":".png"}}]}"#, #"{"a":false}"#),
        .noMatch(#"{"a":[{"anything-but":{"suffix":[".png","wn"]}}]}"#, #"{"a":"down"}"#),
        .match(#"{"a":[{"anything-but":{"suffix":[".png","wn"]}}]}"#, #"{"a":".PNG "}"#),
        // equals-ignore-case, single and list.
        .noMatch(#"{"a":[{"anything-but":{"equals-ignore-case":"NoSuchKey"}}]}"#, #"{"a":"nosuchkey"}"#),
        .match(#"{"a":[{"anything-but":{"equals-ignore-case":"NoSuchKey"}}]}"#, #"{"a":"NoSuchKeys"}"#),
        .match(#"{"a":[{"anything-but":{"equals-ignore-case":"NoSuchKey"}}]}"#, #"{"a":null}"#),
        .noMatch(#"{"a":[{"anything-but":{"equals-ignore-case":["a","B"]}}]}"#, #"{"a":"A"}"#),
        .noMatch(#"{"a":[{"anything-but":{"equals-ignore-case":["a","B"]}}]}"#, #"{"a":"b"}"#),
        .match(#"{"a":[{"anything-but":{"equals-ignore-case":["a","B"]}}]}"#, #"{"a":"c"}"#),
        // Wildcard, single and list.
        .noMatch(#"{"a":[{"anything-but":{"wildcard":"*-deployer"}}]}"#, #"{"a":"app-deployer"}"#),
        .match(#"{"a":[{"anything-but":{"wildcard":"*-deployer"}}]}"#, #"{"a":"app-admin"}"#),
        .match(#"{"a":[{"anything-but":{"wildcard":["x*","*y"]}}]}"#, #"{"a":1}"#),
        .noMatch(#"{"a":[{"anything-but":{"wildcard":["x*","*y"]}}]}"#, #"{"a":"xa"}"#),
        .noMatch(#"{"a":[{"anything-but":{"wildcard":["x*","*y"]}}]}"#, #"{"a":"ay"}"#),
        .match(#"{"a":[{"anything-but":{"wildcard":["x*","*y"]}}]}"#, #"{"a":"ax"}"#),
        .match(#"{"a":[{"anything-but":{"wildcard":""}}]}"#, #"{"a":" "}"#),
        .noMatch(#"{"a":[{"anything-but":{"wildcard":""}}]}"#, #"{"a":""}"#),
        // Beside other tests of the same field, and repeated keys (the last one stands).
        .match(#"{"a":[{"anything-but":"x"},{"prefix":"x"}]}"#, #"{"a":"x"}"#),
        .match(#"{"a":[{"prefix":"us-"}],"a":[{"anything-but":"us-east"}]}"#, #"{"a":"eu-west"}"#),
    ]

    @Test("anything-but", arguments: cases)
    func anythingBut(_ testCase: PatternCase) { PatternCheck.check(testCase) }
}

/// `numeric` and numbers in value lists compare by value (`300` = `300.0` = `3.0e2`, `-0` = `0`),
/// but only numbers that survive a round trip through a double; others match only by spelling.
@Suite("Operators: numeric")
struct NumericTests {
    static let cases: [PatternCase] = [
        // =
        .match(#"{"a":[{"numeric":["=",5]}]}"#, #"{"a":5}"#),
        .match(#"{"a":[{"numeric":["=",5]}]}"#, #"{"a":5.0}"#),
        .match(#"{"a":[{"numeric":["=",5]}]}"#, #"{"a":5e0}"#),
        .match(#"{"a":[{"numeric":["=",5]}]}"#, #"{"a":50E-1}"#),
        .noMatch(#"{"a":[{"numeric":["=",5]}]}"#, #"{"a":6}"#),
        .noMatch(#"{"a":[{"numeric":["=",5]}]}"#, #"{"a":"5"}"#),
        .noMatch(#"{"a":[{"numeric":["=",5]}]}"#, #"{"a":null}"#),
        .match(#"{"a":[{"numeric":["=",-118.57]}]}"#, #"{"a":-1.1857E2}"#),
        .match(#"{"a":[{"numeric":["=",300]}]}"#, #"{"a":3.0e2}"#),
        // < and <=
        .match(#"{"a":[{"numeric":["<",10]}]}"#, #"{"a":9.99}"#),
        .match(#"{"a":[{"numeric":["<",10]}]}"#, #"{"a":-1e9}"#),
        .noMatch(#"{"a":[{"numeric":["<",10]}]}"#, #"{"a":10}"#),
        .noMatch(#"{"a":[{"numeric":["<",10]}]}"#, #"{"a":10.0}"#),
        .noMatch(#"{"a":[{"numeric":["<",10]}]}"#, #"{"a":11}"#),
        .match(#"{"a":[{"numeric":["<=",10]}]}"#, #"{"a":10}"#),
        .match(#"{"a":[{"numeric":["<=",10]}]}"#, #"{"a":1e1}"#),
        .noMatch(#"{"a":[{"numeric":["<=",10]}]}"#, #"{"a":10.0001}"#),
        // > and >=
        .match(#"{"a":[{"numeric":[">",0]}]}"#, #"{"a":0.0001}"#),
        .noMatch(#"{"a":[{"numeric":[">",0]}]}"#, #"{"a":0}"#),
        .noMatch(#"{"a":[{"numeric":[">",0]}]}"#, #"{"a":-0}"#),
        .noMatch(#"{"a":[{"numeric":[">",0]}]}"#, #"{"a":"1"}"#),
        .noMatch(#"{"a":[{"numeric":[">",0]}]}"#, #"{"a":true}"#),
        .match(#"{"a":[{"numeric":[">=",0]}]}"#, #"{"a":0}"#),
        .match(#"{"a":[{"numeric":[">=",0]}]}"#, #"{"a":-0}"#),
        .match(#"{"a":[{"numeric":[">=",0]}]}"#, #"{"a":-0.0}"#),
        .noMatch(#"{"a":[{"numeric":[">",-40]}]}"#, #"{"a":[-40.001,-40.0]}"#),
        .match(#"{"a":[{"numeric":[">",1e+299]}]}"#, #"{"a":1e+300}"#),
        .match(#"{"a":[{"numeric":[">",5000000000.0]}]}"#, #"{"a":6000000000.0}"#),
        .noMatch(#"{"a":[{"numeric":[">",0]}]}"#, #"{"a":1e309}"#),
        // Ranges.
        .match(#"{"a":[{"numeric":[">",0,"<=",5]}]}"#, #"{"a":5}"#),
        .match(#"{"a":[{"numeric":[">",0,"<=",5]}]}"#, #"{"a":0.5}"#),
        .noMatch(#"{"a":[{"numeric":[">",0,"<=",5]}]}"#, #"{"a":0}"#),
        .noMatch(#"{"a":[{"numeric":[">",0,"<=",5]}]}"#, #"{"a":5.01}"#),
        .match(#"{"a":[{"numeric":[">=",1024,"<=",65535]}]}"#, #"{"a":1024}"#),
        .match(#"{"a":[{"numeric":[">=",1024,"<=",65535]}]}"#, #"{"a":65535}"#),
        .noMatch(#"{"a":[{"numeric":[">=",1024,"<=",65535]}]}"#, #"{"a":1023}"#),
        .noMatch(#"{"a":[{"numeric":[">=",1024,"<=",65535]}]}"#, #"{"a":65536}"#),
        .match(#"{"a":[{"numeric":[">=",-2.5e-300,"<",5000000000]}]}"#, #"{"a":0}"#),
        .noMatch(#"{"a":[{"numeric":[">=",-2.5e-300,"<",5000000000]}]}"#, #"{"a":-1}"#),
        .noMatch(#"{"a":[{"numeric":[">",-273.15,"<",1e6]}]}"#, #"{"a":1000000}"#),
        .match(#"{"a":[{"numeric":[">",4]},{"numeric":["<",2]}]}"#, #"{"a":[1,10]}"#),
        .noMatch(#"{"a":[{"numeric":[">",4]},{"numeric":["<",2]}]}"#, #"{"a":3}"#),
        // Numbers in value lists: by value.
        .match(#"{"a":[300]}"#, #"{"a":300.0}"#),
        .match(#"{"a":[300]}"#, #"{"a":3.0e2}"#),
        .match(#"{"a":[300]}"#, #"{"a":3E+2}"#),
        .match(#"{"a":[300]}"#, #"{"a":30000e-2}"#),
        .match(#"{"a":[3.0e2]}"#, #"{"a":300}"#),
        .match(#"{"a":[0]}"#, #"{"a":-0}"#),
        .match(#"{"a":[-0]}"#, #"{"a":0}"#),
        .match(#"{"a":[0]}"#, #"{"a":0.000}"#),
        .match(#"{"a":[42]}"#, #"{"a":42.00}"#),
        .match(#"{"a":[-397.10]}"#, #"{"a":-3.971E2}"#),
        .match(#"{"a":[123456789012]}"#, #"{"a":123456789012}"#),
        .match(#"{"a":[123456789012]}"#, #"{"a":123456789012.0}"#),
        .noMatch(#"{"a":[-1]}"#, #"{"a":-2}"#),
        // Numbers that do not round-trip through a double: never numeric, exact by spelling only.
        .noMatch(#"{"a":[{"numeric":["=",0.1]}]}"#, #"{"a":0.10000000000000001}"#),
        .noMatch(#"{"a":[{"numeric":[">",0]}]}"#, #"{"a":0.10000000000000001}"#),
        .noMatch(#"{"a":[{"numeric":["<",1]}]}"#, #"{"a":0.10000000000000001}"#),
        .noMatch(#"{"a":[0.1]}"#, #"{"a":0.10000000000000001}"#),
        .noMatch(#"{"a":[0.10000000000000001]}"#, #"{"a":0.1}"#),
        .match(#"{"a":[0.10000000000000001]}"#, #"{"a":0.10000000000000001}"#),
        .noMatch(#"{"a":[{"numeric":[">",37]}]}"#, #"{"a":37.807807921694092}"#),
        .match(#"{"a":[{"numeric":[">",37]}]}"#, #"{"a":37.80780792169409}"#),
        .match(#"{"a":[37.807807921694092]}"#, #"{"a":37.807807921694092}"#),
        .noMatch(#"{"a":[37.807807921694092]}"#, #"{"a":37.80780792169409}"#),
        .match(#"{"a":[12345678901234567890]}"#, #"{"a":12345678901234567890}"#),
        .noMatch(#"{"a":[12345678901234567890]}"#, #"{"a":12345678901234567891}"#),
        .noMatch(#"{"a":[{"numeric":["<=",0.3]}]}"#, #"{"a":0.30000000000000004}"#),
    ]

    @Test("numeric", arguments: cases)
    func numeric(_ testCase: PatternCase) { PatternCheck.check(testCase) }
}

/// `exists`: `true` holds when the field has a leaf value (`null` included), so not on `{}`, `[]`
/// or an object; `false` holds exactly when it has none (absent, `[]`, an object).
@Suite("Operators: exists")
struct ExistsTests {
    static let cases: [PatternCase] = [
        .match(#"{"a":[{"exists":true}]}"#, #"{"a":"x"}"#),
        .match(#"{"a":[{"exists":true}]}"#, #"{"a":""}"#),
        .match(#"{"a":[{"exists":true}]}"#, #"{"a":0}"#),
        .match(#"{"a":[{"exists":true}]}"#, #"{"a":false}"#),
        .match(#"{"a":[{"exists":true}]}"#, #"{"a":null}"#),
        .match(#"{"a":[{"exists":true}]}"#, #"{"a":["x"]}"#),
        .match(#"{"a":[{"exists":true}]}"#, #"{"a":[null]}"#),
        .match(#"{"a":[{"exists":true}]}"#, #"{"a":["x",{"b":1}]}"#),
        .noMatch(#"{"a":[{"exists":true}]}"#, #"{}"#),
        .noMatch(#"{"a":[{"exists":true}]}"#, #"{"b":1}"#),
        .noMatch(#"{"a":[{"exists":true}]}"#, #"{"a":[]}"#),
        .noMatch(#"{"a":[{"exists":true}]}"#, #"{"a":{}}"#),
        .noMatch(#"{"a":[{"exists":true}]}"#, #"{"a":{"b":1}}"#),
        .noMatch(#"{"a":[{"exists":true}]}"#, #"{"a":[{"b":1}]}"#),
        .noMatch(#"{"p":{"f":[{"exists":true}]}}"#, #"{"p":null}"#),
        .match(#"{"p":{"f":[{"exists":true}]}}"#, #"{"p":[{"k":"v"},{"f":"w"}]}"#),
        .match(#"{"a":[{"exists":false}]}"#, #"{}"#),
        .match(#"{"a":[{"exists":false}]}"#, #"{"b":1}"#),
        .match(#"{"a":[{"exists":false}]}"#, #"{"a":[]}"#),
        .match(#"{"a":[{"exists":false}]}"#, #"{"a":{}}"#),
        .match(#"{"a":[{"exists":false}]}"#, #"{"a":{"b":1}}"#),
        .match(#"{"a":[{"exists":false}]}"#, #"{"a":[{"b":1}]}"#),
        .noMatch(#"{"a":[{"exists":false}]}"#, #"{"a":null}"#),
        .noMatch(#"{"a":[{"exists":false}]}"#, #"{"a":""}"#),
        .noMatch(#"{"a":[{"exists":false}]}"#, #"{"a":0}"#),
        .noMatch(#"{"a":[{"exists":false}]}"#, #"{"a":false}"#),
        .noMatch(#"{"a":[{"exists":false}]}"#, #"{"a":[""]}"#),
        .noMatch(#"{"a":[{"exists":false}]}"#, #"{"a":["",[null],null]}"#),
        .noMatch(#"{"a":{"b":[{"exists":false}]}}"#, #"{"a":{"b":null}}"#),
        .match(#"{"a":{"b":[{"exists":false}]}}"#, #"{"a":{"c":null}}"#),
        .match(#"{"a":[{"exists":false}],"b":["y"]}"#, #"{"b":"y"}"#),
        .noMatch(#"{"a":[{"exists":false}],"b":["y"]}"#, #"{"a":1,"b":"y"}"#),
        .noMatch(#"{"a":[{"exists":false}],"b":["y"]}"#, #"{"c":1}"#),
        // exists: false beside a value: absent or that value.
        .match(#"{"a":[{"exists":false},"x"]}"#, #"{"b":1}"#),
        .match(#"{"a":[{"exists":false},"x"]}"#, #"{"a":"x"}"#),
        .noMatch(#"{"a":[{"exists":false},"x"]}"#, #"{"a":"y"}"#),
        .match(#"{"a":[{"exists":true},{"exists":false}]}"#, #"{"a":null}"#),
        .match(#"{"a":[{"exists":true},{"exists":false}]}"#, #"{}"#),
    ]

    @Test("exists", arguments: cases)
    func exists(_ testCase: PatternCase) { PatternCheck.check(testCase) }
}

/// `cidr` and IP address literals: IPv4 and IPv6 ranges, host bits in the operand allowed, other
/// spellings of an address in events (leading zeros, compressed or upper-case IPv6) understood.
@Suite("Operators: cidr and IP addresses")
struct CIDRTests {
    static let cases: [PatternCase] = [
        .match(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":"10.0.0.0"}"#),
        .match(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":"10.0.0.255"}"#),
        .match(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":"10.0.0.7"}"#),
        .noMatch(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":"10.0.1.0"}"#),
        .noMatch(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":"9.255.255.255"}"#),
        .noMatch(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":"hello"}"#),
        .noMatch(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":10}"#),
        .noMatch(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":"10.0.0.1 "}"#),
        .noMatch(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":"host-10.0.0.1"}"#),
        .noMatch(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":"10.0.0"}"#),
        .noMatch(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":"10.0.0.1/32"}"#),
        .match(#"{"ip":[{"cidr":"10.0.0.0/8"}]}"#, #"{"ip":["192.168.1.1","10.1.2.3"]}"#),
        // Host bits in the operand are ignored.
        .match(#"{"ip":[{"cidr":"10.0.0.1/24"}]}"#, #"{"ip":"10.0.0.0"}"#),
        .match(#"{"ip":[{"cidr":"10.0.0.1/24"}]}"#, #"{"ip":"10.0.0.255"}"#),
        .noMatch(#"{"ip":[{"cidr":"10.0.0.1/24"}]}"#, #"{"ip":"10.0.1.1"}"#),
        .match(#"{"ip":[{"cidr":"49.162.233.228/4"}]}"#, #"{"ip":"48.0.0.0"}"#),
        .noMatch(#"{"ip":[{"cidr":"49.162.233.228/4"}]}"#, #"{"ip":"47.255.255.255"}"#),
        // Leading zeros in event addresses are decimal.
        .match(#"{"ip":[{"cidr":"10.0.0.0/8"}]}"#, #"{"ip":"010.1.2.3"}"#),
        .match(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":"010.000.000.001"}"#),
        .noMatch(#"{"ip":[{"cidr":"10.0.0.0/8"}]}"#, #"{"ip":"::ffff:10.1.2.3"}"#),
        // Small and whole ranges.
        .match(#"{"ip":[{"cidr":"10.0.0.0/31"}]}"#, #"{"ip":"10.0.0.1"}"#),
        .noMatch(#"{"ip":[{"cidr":"10.0.0.0/31"}]}"#, #"{"ip":"10.0.0.2"}"#),
        .match(#"{"ip":[{"cidr":"0.0.0.0/0"}]}"#, #"{"ip":"255.255.255.255"}"#),
        .noMatch(#"{"ip":[{"cidr":"0.0.0.0/0"}]}"#, #"{"ip":"::1"}"#),
        // IPv6.
        .match(#"{"ip":[{"cidr":"2001:db8::/32"}]}"#, #"{"ip":"2001:db8:0:0:0:0:0:1"}"#),
        .match(#"{"ip":[{"cidr":"2001:db8::/32"}]}"#, #"{"ip":"2001:DB8::FFFF"}"#),
        .match(#"{"ip":[{"cidr":"2001:db8::/32"}]}"#, #"{"ip":"2001:0db8::1"}"#),
        .noMatch(#"{"ip":[{"cidr":"2001:db8::/32"}]}"#, #"{"ip":"2001:db9::1"}"#),
        .noMatch(#"{"ip":[{"cidr":"2001:db8::/32"}]}"#, #"{"ip":"10.0.0.1"}"#),
        .match(#"{"ip":[{"cidr":"::/127"}]}"#, #"{"ip":"::1"}"#),
        .noMatch(#"{"ip":[{"cidr":"::/127"}]}"#, #"{"ip":"::2"}"#),
        .match(#"{"ip":[{"cidr":"2600:1f18::/48"}]}"#, #"{"ip":"2600:1F18::"}"#),
        .match(#"{"ip":[{"cidr":"0a6b:66ea:ba07:2fd2:2358:385d:5000:0000/100"}]}"#,
               #"{"ip":"A6B:66EA:BA07:2FD2:2358:385D:5000:0"}"#),
        .noMatch(#"{"ip":[{"cidr":"0000:0000:0000:0000:0000:0000:0000:0000/8"}]}"#,
                 #"{"ip":["100::","ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]}"#),
        // A plain address in a value list matches every spelling of that address.
        .match(#"{"ip":["::1"]}"#, #"{"ip":"0:0:0:0:0:0:0:1"}"#),
        .match(#"{"ip":["0:0:0:0:0:0:0:1"]}"#, #"{"ip":"::1"}"#),
        .match(#"{"ip":["2001:db8::1"]}"#, #"{"ip":"2001:DB8:0:0:0:0:0:1"}"#),
        .match(#"{"ip":["10.0.0.1"]}"#, #"{"ip":"10.0.0.1"}"#),
        .noMatch(#"{"ip":["10.0.0.1"]}"#, #"{"ip":"10.0.0.2"}"#),
        .noMatch(#"{"ip":["10.0.0.1"]}"#, #"{"ip":"10.0.0.1/32"}"#),
        .noMatch(#"{"ip":["34.116.177.30"]}"#, #"{"ip":"34.116.177.30:443"}"#),
        .noMatch(#"{"ip":["b655:9bc6:c1c8:ffb0:1029:b128:d6c0:0"]}"#, #"{"ip":"b655:9bc6:c1c8:ffb0:1029:b128:d6c0:1"}"#),
    ]

    @Test("cidr", arguments: cases)
    func cidr(_ testCase: PatternCase) { PatternCheck.check(testCase) }

    @Test("address parsing", arguments: [
        ("10.0.0.1", "10.0.0.1"), ("010.000.000.001", "10.0.0.1"), ("::1", "0:0:0:0:0:0:0:1"),
        ("2001:DB8::", "2001:db8:0:0:0:0:0:0"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
    ])
    func parsesAddresses(_ text: String, _ canonical: String) {
        #expect(IPAddress.parse(text)?.description == canonical)
    }

    @Test("not addresses", arguments: ["10.0.0", "10.0.0.256", "hello", "1.2.3.4.5", "::ffff:10.1.2.3",
                                       "1:2:3:4:5:6:7:8:9", "1::2::3", "", "10.0.0.1 "])
    func rejectsNonAddresses(_ text: String) {
        #expect(IPAddress.parse(text) == nil)
    }

    /// The one-pass reading of digits and dots decides only what the reading by shape would,
    /// and decides it the same way: random spellings over digits, dots, colons, hex letters and
    /// spaces, dotted quads with parts around 255 and leading zeros, and short IPv6 addresses.
    @Test func digitsAndDotsAreReadAsTheShapeWouldReadThem() {
        var random = SplitMix64(seed: 255)
        let alphabet = Array("0123456789....::aF 9".utf8)
        var spellings: [[UInt8]] = []
        for _ in 0..<20_000 {
            let length = Int(random.next() % 18)
            spellings.append((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
        }
        for _ in 0..<5_000 {
            let parts = (0..<Int(random.next() % 3) + 3).map { _ -> String in
                let value = Int(random.next() % 300)
                return random.next() % 8 == 0 ? "0" + String(value) : String(value)
            }
            spellings.append(Array(parts.joined(separator: ".").utf8))
        }
        // IPv6 addresses, short enough to be looked at, with groups of digits alone (`2001::1`).
        for _ in 0..<5_000 {
            let groups = (0..<Int(random.next() % 4) + 1).map { _ -> String in
                let value = Int(random.next() % 0x10000)
                return random.next() % 2 == 0 ? String(value % 10_000) : String(value, radix: 16)
            }
            spellings.append(Array((groups.count < 3 ? groups.joined(separator: "::") : groups.joined(separator: ":") + "::").utf8))
        }
        var decided = 0
        for spelling in spellings {
            spelling.withUnsafeBytes { bytes in
                let expected = IPAddress.parseByShape(bytes)
                #expect(IPAddress.parse(bytes) == expected, "\(String(decoding: spelling, as: UTF8.self))")
                if let fast = IPAddress.parseDigitsAndDots(bytes) {
                    decided += 1
                    #expect(fast == expected, "\(String(decoding: spelling, as: UTF8.self))")
                }
            }
        }
        #expect(decided > 10_000, "the one-pass reading should decide most of these (\(decided))")
    }

    @Test("a CIDR is the range of its mask, host bits ignored")
    func cidrRange() throws {
        let range = try IPRange.cidr("10.0.0.1/24")
        #expect(range.lower.description == "10.0.0.0")
        #expect(range.upper.description == "10.0.0.255")
        let v6 = try IPRange.cidr("2001:db8::5/32")
        #expect(v6.contains(IPAddress.parse("2001:db8:ffff::")!))
        #expect(!v6.contains(IPAddress.parse("2001:db9::")!))
    }
}

/// `wildcard`: `*` is any run of characters; `\*` is a literal asterisk and `\\` a literal
/// backslash. Strings only.
@Suite("Operators: wildcard")
struct WildcardTests {
    static let cases: [PatternCase] = [
        .match(#"{"a":[{"wildcard":"*.png"}]}"#, #"{"a":"photo.png"}"#),
        .match(#"{"a":[{"wildcard":"*.png"}]}"#, #"{"a":".png"}"#),
        .noMatch(#"{"a":[{"wildcard":"*.png"}]}"#, #"{"a":"photo.png.x"}"#),
        .noMatch(#"{"a":[{"wildcard":"*.png"}]}"#, #"{"a":"photo.PNG"}"#),
        .match(#"{"a":[{"wildcard":"prod-*-us-*"}]}"#, #"{"a":"prod-web-us-east"}"#),
        .match(#"{"a":[{"wildcard":"prod-*-us-*"}]}"#, #"{"a":"prod--us-"}"#),
        .noMatch(#"{"a":[{"wildcard":"prod-*-us-*"}]}"#, #"{"a":"prod-web-eu-east"}"#),
        .match(#"{"a":[{"wildcard":"a*b*c"}]}"#, #"{"a":"abc"}"#),
        .match(#"{"a":[{"wildcard":"a*b*c"}]}"#, #"{"a":"aXbYbc"}"#),
        .noMatch(#"{"a":[{"wildcard":"a*b*c"}]}"#, #"{"a":"acb"}"#),
        .match(#"{"a":[{"wildcard":"*ab"}]}"#, #"{"a":"aab"}"#),
        .match(#"{"a":[{"wildcard":"*"}]}"#, #"{"a":""}"#),
        .match(#"{"a":[{"wildcard":"*"}]}"#, #"{"a":"anything"}"#),
        .noMatch(#"{"a":[{"wildcard":"*"}]}"#, #"{"a":5}"#),
        .noMatch(#"{"a":[{"wildcard":"*"}]}"#, #"{"a":null}"#),
        .noMatch(#"{"a":[{"wildcard":"*-*"}]}"#, #"{"a":1}"#),
        .match(#"{"a":[{"wildcard":"abc"}]}"#, #"{"a":"abc"}"#),
        .noMatch(#"{"a":[{"wildcard":"abc"}]}"#, #"{"a":"abcd"}"#),
        .match(#"{"a":[{"wildcard":"é*"}]}"#, #"{"a":"éa"}"#),
        .match(#"{"a":[{"wildcard":"uploads/*/*.csv"}]}"#, #"{"a":"uploads/2024/x.csv"}"#),
        .noMatch(#"{"a":[{"wildcard":"uploads/*/*.csv"}]}"#, #"{"a":"uploads/x.csv"}"#),
        // Escapes: \* is a literal asterisk, \\ a literal backslash.
        .match(#"{"a":[{"wildcard":"a\\*b"}]}"#, #"{"a":"a*b"}"#),
        .noMatch(#"{"a":[{"wildcard":"a\\*b"}]}"#, #"{"a":"axb"}"#),
        .noMatch(#"{"a":[{"wildcard":"a\\*b"}]}"#, #"{"a":"ab"}"#),
        .match(#"{"a":[{"wildcard":"\\*"}]}"#, #"{"a":"*"}"#),
        .noMatch(#"{"a":[{"wildcard":"\\*"}]}"#, #"{"a":"x"}"#),
        .match(#"{"a":[{"wildcard":"*\\**"}]}"#, #"{"a":"x*y"}"#),
        .noMatch(#"{"a":[{"wildcard":"*\\**"}]}"#, #"{"a":"xy"}"#),
        .match(#"{"a":[{"wildcard":"\\**\\**/*"}]}"#, #"{"a":"**/"}"#),
        .match(#"{"a":[{"wildcard":"a\\\\b"}]}"#, #"{"a":"a\\b"}"#),
        .noMatch(#"{"a":[{"wildcard":"a\\\\b"}]}"#, #"{"a":"ab"}"#),
        .match(#"{"a":[{"wildcard":"*\\\\"}]}"#, #"{"a":"dir\\"}"#),
    ]

    @Test("wildcard", arguments: cases)
    func wildcard(_ testCase: PatternCase) { PatternCheck.check(testCase) }

    @Test("the operand's pieces", arguments: [
        ("a*b", 3), ("*", 1), ("", 0), ("a\\*b", 1), ("\\\\*", 2), ("*x*", 3),
    ])
    func pieces(_ source: String, _ count: Int) throws {
        #expect(try WildcardPattern(source).pieces.count == count)
    }

    @Test("direct matching agrees with the automaton", arguments: [
        ("a*b", "axxb", true), ("a*b", "ab", true), ("a*b", "ba", false), ("a\\*b", "a*b", true),
        ("*", "", true), ("x", "", false), ("*a*a*", "aa", true), ("*a*a*", "a", false),
    ])
    func directMatching(_ source: String, _ value: String, _ expected: Bool) throws {
        #expect(try WildcardPattern(source).matches(Array(value.utf8)) == expected)
    }
}

/// `$or`: at the top level, nested in `$or`, inside objects; combined with sibling fields.
@Suite("Operators: $or")
struct OrTests {
    static let cases: [PatternCase] = [
        .match(#"{"$or":[{"a":["x"]},{"b":["y"]}]}"#, #"{"a":"x"}"#),
        .match(#"{"$or":[{"a":["x"]},{"b":["y"]}]}"#, #"{"b":"y"}"#),
        .match(#"{"$or":[{"a":["x"]},{"b":["y"]}]}"#, #"{"a":"x","b":"y"}"#),
        .noMatch(#"{"$or":[{"a":["x"]},{"b":["y"]}]}"#, #"{"a":"y","b":"x"}"#),
        .match(#"{"$or":[{"a":["x"]},{"a":["y"]}]}"#, #"{"a":"y"}"#),
        // Sibling fields apply to every alternative.
        .match(#"{"source":["s"],"$or":[{"a":["x"]},{"b":["y"]}]}"#, #"{"source":"s","b":"y"}"#),
        .noMatch(#"{"source":["s"],"$or":[{"a":["x"]},{"b":["y"]}]}"#, #"{"b":"y"}"#),
        .noMatch(#"{"$or":[{"a":["x"]},{"b":["y"]}],"source":["s"]}"#, #"{"source":"t","a":"x"}"#),
        // Inside an object.
        .match(#"{"detail":{"$or":[{"a":[1]},{"b":[2]}]}}"#, #"{"detail":{"b":2}}"#),
        .noMatch(#"{"detail":{"$or":[{"a":[1]},{"b":[2]}]}}"#, #"{"b":2}"#),
        .match(#"{"detail":{"x":["v"],"$or":[{"a":[1]},{"b":{"c":[2]}}]}}"#, #"{"detail":{"x":"v","b":{"c":2}}}"#),
        .noMatch(#"{"detail":{"x":["v"],"$or":[{"a":[1]},{"b":{"c":[2]}}]}}"#, #"{"detail":{"x":"w","a":1}}"#),
        // Nested $or.
        .match(#"{"$or":[{"a":["x"],"$or":[{"b":["1"]},{"c":["2"]}]},{"d":["3"]}]}"#, #"{"a":"x","c":"2"}"#),
        .match(#"{"$or":[{"a":["x"],"$or":[{"b":["1"]},{"c":["2"]}]},{"d":["3"]}]}"#, #"{"d":"3"}"#),
        .noMatch(#"{"$or":[{"a":["x"],"$or":[{"b":["1"]},{"c":["2"]}]},{"d":["3"]}]}"#, #"{"a":"x"}"#),
        .noMatch(#"{"$or":[{"a":["x"],"$or":[{"b":["1"]},{"c":["2"]}]},{"d":["3"]}]}"#, #"{"c":"2"}"#),
        // Two $or in different objects multiply.
        .match(#"{"a":{"$or":[{"x":[1]},{"y":[1]}]},"b":{"$or":[{"x":[1]},{"y":[1]}]}}"#, #"{"a":{"y":1},"b":{"x":1}}"#),
        .noMatch(#"{"a":{"$or":[{"x":[1]},{"y":[1]}]},"b":{"$or":[{"x":[1]},{"y":[1]}]}}"#, #"{"a":{"y":1}}"#),
        .match(#"{"$or":[{"a":["logs"]},{"b":["prod"]}],"detail":{"$or":[{"c":["c"]},{"d":[{"numeric":[">",10]}]}]}}"#,
               #"{"b":"prod","detail":{"d":11}}"#),
        .noMatch(#"{"$or":[{"a":["logs"]},{"b":["prod"]}],"detail":{"$or":[{"c":["c"]},{"d":[{"numeric":[">",10]}]}]}}"#,
                 #"{"a":"logs","detail":{"d":10}}"#),
        // With exists: false.
        .match(#"{"$or":[{"f":["x"]},{"g":[{"exists":false}]}]}"#, #"{"f":"zz"}"#),
        .noMatch(#"{"$or":[{"f":["x"]},{"g":[{"exists":false}]}]}"#, #"{"f":"zz","g":1}"#),
        // A later field of the same path replaces an earlier one in every alternative.
        .noMatch(#"{"$or":[{"f":["h"]},{"g":["y"]}],"f":["after"]}"#, #"{"f":"h","g":"y"}"#),
        .match(#"{"f":["before"],"$or":[{"f":["h"]},{"g":["y"]}]}"#, #"{"f":"before","g":"y"}"#),
        .noMatch(#"{"f":["before"],"$or":[{"f":["h"]},{"g":["y"]}]}"#, #"{"g":"y"}"#),
    ]

    @Test("$or", arguments: cases)
    func or(_ testCase: PatternCase) { PatternCheck.check(testCase) }

    @Test("$or expands to one branch per alternative")
    func branches() throws {
        let pattern = try EventPattern(json: #"{"s":["1"],"$or":[{"a":["x"]},{"b":["y"]},{"c":{"$or":[{"d":[1]},{"e":[2]}]}}]}"#)
        #expect(pattern.branches.count == 4)
        #expect(pattern.branches.allSatisfy { $0.conditions.contains { $0.path == "s" } })
        #expect(pattern.fieldPaths == ["a", "b", "c.d", "c.e", "s"])
    }
}

/// Arrays in events: any element may match; nested arrays are flattened; objects inside arrays
/// are descended into for their own paths but are absent for the array's path; and the values
/// that satisfy one pattern must come from the same element of an array of objects.
@Suite("Operators: arrays")
struct ArrayTests {
    static let cases: [PatternCase] = [
        .match(#"{"a":["x"]}"#, #"{"a":["y","x"]}"#),
        .noMatch(#"{"a":["x"]}"#, #"{"a":["y","z"]}"#),
        .noMatch(#"{"a":["x"]}"#, #"{"a":[]}"#),
        .match(#"{"a":[1]}"#, #"{"a":[[1,2],[3]]}"#),
        .match(#"{"a":["x"]}"#, #"{"a":[[["x"]]]}"#),
        .match(#"{"a":[false]}"#, #"{"a":[null,[0,[false]]]}"#),
        .noMatch(#"{"a":[2]}"#, #"{"a":[3,20]}"#),
        // Objects inside arrays.
        .match(#"{"a":{"b":["x"]}}"#, #"{"a":[{"b":"y"},{"b":"x"}]}"#),
        .noMatch(#"{"a":{"b":["x"]}}"#, #"{"a":[{"c":"x"}]}"#),
        .noMatch(#"{"a":{"b":["x"]}}"#, #"{"a":[{"c":{"b":"x"}}]}"#),
        .match(#"{"a":{"b":["x"]}}"#, #"{"a":[[{"b":"x"}]]}"#),
        .match(#"{"m":{"k":["udp"]}}"#, #"{"m":[1,"x",null,{"k":"udp"}]}"#),
        .match(#"{"a":{"b":[{"prefix":"s3://"}]}}"#, #"{"a":[{"b":[1,"s3://x"]}]}"#),
        // The array's own path sees objects as absent.
        .noMatch(#"{"a":["x"]}"#, #"{"a":[{"b":"x"}]}"#),
        .noMatch(#"{"a":[{"exists":true}]}"#, #"{"a":[{"b":1}]}"#),
        .noMatch(#"{"a":[{"exists":true}]}"#, #"{"a":[{}]}"#),
        .noMatch(#"{"a":[{"exists":true}]}"#, #"{"a":[[]]}"#),
        .match(#"{"a":[{"exists":false}]}"#, #"{"a":[{"b":1}]}"#),
        .noMatch(#"{"a":[{"anything-but":"x"}]}"#, #"{"a":[{"b":"y"}]}"#),
        .match(#"{"a":[{"exists":true}]}"#, #"{"a":[[1],{"n":1},[{"n":1}]]}"#),
        // Array consistency: fields under one array of objects match in the same element.
        .noMatch(#"{"e":{"f":["Anna"],"l":["Jones"]}}"#, #"{"e":[{"f":"Anna","l":"Smith"},{"f":"Peter","l":"Jones"}]}"#),
        .match(#"{"e":{"f":["Anna"],"l":["Jones"]}}"#, #"{"e":[{"f":"Anna","l":"Jones"}]}"#),
        .match(#"{"e":{"f":["Anna"],"l":["Jones"]}}"#, #"{"e":[{"f":"Anna","l":"Smith"},{"f":"Anna","l":"Jones"}]}"#),
        .match(#"{"e":{"f":["Anna"],"l":["Jones"]}}"#, #"{"e":[{"f":"Peter","l":"Jones"},{"f":"Anna","l":["Smith","Jones"]}]}"#),
        .noMatch(#"{"arr":{"sub":{"a":["w"]},"b":["o"]}}"#, #"{"arr":[{"sub":[{"a":"w"}]},{"b":"o"}]}"#),
        .match(#"{"arr":{"sub":{"a":["w"]},"b":["o"]}}"#, #"{"arr":[{"sub":[{"a":"w"},{"a":"q"}],"b":"o"}]}"#),
        .match(#"{"x":{"s":[{"exists":true}],"t":[{"prefix":"j"}]}}"#, #"{"x":[{"s":3.14,"t":"jx"},{"s":{},"t":"JX"}]}"#),
        .noMatch(#"{"x":{"t":[{"cidr":"203.0.113.0/24"}],"i":[{"anything-but":"q"}]}}"#,
                 #"{"x":[{"t":"203.0.113.9","i":"q"},{"t":"203.0.113.0 ","i":"r"}]}"#),
        // Different arrays are independent of each other.
        .match(#"{"a1":{"x":["d"]},"a2":{"y":["ok"]}}"#, #"{"a1":[{"x":"n"},{"x":"d"}],"a2":[{"y":"ok"},{"y":"n"}]}"#),
        .noMatch(#"{"a1":{"x":["d"]},"a2":{"y":["ok"]}}"#, #"{"a1":[{"x":"n"}],"a2":[{"y":"ok"}]}"#),
        // exists: false inside the element that matched.
        .match(#"{"arr":{"z":["q"],"a":[{"exists":false}]}}"#, #"{"arr":[{"z":"q"}]}"#),
    ]

    @Test("arrays", arguments: cases)
    func arrays(_ testCase: PatternCase) { PatternCheck.check(testCase) }
}

/// Strings with JSON escapes in events (and in patterns) match by their decoded text, in values
/// and in keys.
@Suite("Operators: JSON escapes")
struct EscapeTests {
    static let cases: [PatternCase] = [
        .match(#"{"a":["é"]}"#, #"{"a":"\u00e9"}"#),
        .match(#"{"a":["\u00e9"]}"#, #"{"a":"é"}"#),
        .noMatch(#"{"a":["\u00e9"]}"#, #"{"a":"éx"}"#),
        .match(#"{"a":["q\"uote"]}"#, #"{"a":"q\"uote"}"#),
        .match(#"{"a":["back\\slash"]}"#, #"{"a":"back\\slash"}"#),
        .match(#"{"a":["back\\slash"]}"#, #"{"a":"back\u005cslash"}"#),
        .match(#"{"a":["a/b"]}"#, #"{"a":"a\/b"}"#),
        .match(#"{"a":["a/b"]}"#, #"{"a":"\u0061\u002f\u0062"}"#),
        .match(#"{"a":["tab\there"]}"#, #"{"a":"tab\u0009here"}"#),
        .match(#"{"a":["line\nbreak"]}"#, #"{"a":"line\nbreak"}"#),
        .match(#"{"a":["😀"]}"#, #"{"a":"\ud83d\ude00"}"#),
        .match(#"{"a":[{"prefix":"é"}]}"#, #"{"a":"\u00e9t\u00e9"}"#),
        .match(#"{"a":[{"suffix":"\""}]}"#, #"{"a":"say \""}"#),
        .match(#"{"a":[{"equals-ignore-case":"É"}]}"#, #"{"a":"\u00e9"}"#),
        .match(#"{"a":[{"wildcard":"*\"*"}]}"#, #"{"a":"x\u0022y"}"#),
        .noMatch(#"{"a":[{"anything-but":"é"}]}"#, #"{"a":"\u00e9"}"#),
        .match(#"{"ip":[{"cidr":"10.0.0.0/8"}]}"#, #"{"ip":"\u0031\u0030.1.2.3"}"#),
        // Escaped keys.
        .match(#"{"a":["x"]}"#, #"{"\u0061":"x"}"#),
        .match(#"{"é":{"b":["x"]}}"#, #"{"\u00e9":{"b":"x"}}"#),
        .match(#"{"a\"b":["x"]}"#, #"{"a\"b":"x"}"#),
    ]

    @Test("escapes", arguments: cases)
    func escapes(_ testCase: PatternCase) { PatternCheck.check(testCase) }
}

/// Several patterns compiled into one set each keep their own verdict.
@Suite("Operators: pattern sets")
struct PatternSetTests {
    @Test("patterns sharing fields and tests keep separate verdicts")
    func sharedFields() throws {
        let patterns = [
            #"{"source":["aws.ec2"]}"#,
            #"{"source":["aws.ec2"],"detail":{"state":["running"]}}"#,
            #"{"source":[{"prefix":"aws."}],"detail":{"state":[{"anything-but":"running"}]}}"#,
            #"{"detail":{"state":[{"exists":false}]}}"#,
            #"{"source":["aws.ec2"],"detail":{"state":[{"exists":false}]}}"#,
        ]
        #expect(try PatternCheck.matches(patterns, #"{"source":"aws.ec2","detail":{"state":"running"}}"#) == [0, 1])
        #expect(try PatternCheck.matches(patterns, #"{"source":"aws.ec2","detail":{"state":"stopped"}}"#) == [0, 2])
        #expect(try PatternCheck.matches(patterns, #"{"source":"aws.ec2"}"#) == [0, 3, 4])
        #expect(try PatternCheck.matches(patterns, #"{"source":"aws.s3","detail":{}}"#) == [3])
    }

    @Test("matchingNames lists names in pattern order")
    func names() throws {
        let set = CompiledPatternSet([
            (name: "b-rule", pattern: try EventPattern(json: #"{"a":[{"exists":true}]}"#)),
            (name: "a-rule", pattern: try EventPattern(json: #"{"a":["x"]}"#)),
            (name: "c-rule", pattern: try EventPattern(json: #"{"a":["y"]}"#)),
        ])
        #expect(try set.matchingNames(json: #"{"a":"x"}"#) == ["b-rule", "a-rule"])
        #expect(try set.matchingNames(json: #"{"b":"x"}"#) == [])
        #expect(set.fieldCount == 1)
    }

    @Test("an empty set matches nothing")
    func emptySet() throws {
        let set = CompiledPatternSet([])
        #expect(try set.makeMatcher().match(Array(#"{"a":1}"#.utf8)) == [])
    }

    @Test("ComparableNumber reads values that round-trip and refuses the rest", arguments: [
        ("300", 300.0), ("3.0e2", 300.0), ("-0", 0.0), ("0.000", 0.0), ("-1.1857E2", -118.57),
        ("1e+300", 1e300), ("5000000000", 5e9), ("37.80780792169409", 37.80780792169409),
        ("0", 0.0), ("7", 7.0), ("65535", 65535.0), ("999999999999999", 999_999_999_999_999.0),
        ("1000000000000000", 1e15),
    ])
    func comparable(_ text: String, _ value: Double) {
        #expect(ComparableNumber.value(of: text) == value)
    }

    /// Integers of up to 15 digits take a shorter path than other numbers: it gives the value
    /// the general path gives, which for them is the exact double.
    @Test func smallIntegersReadAsTheirExactDouble() {
        var random = SplitMix64(seed: 15)
        for _ in 0..<2_000 {
            let digits = Int(random.next() % 15) + 1
            var text = String(random.next() % 9 + 1)
            for _ in 1..<digits { text += String(random.next() % 10) }
            #expect(ComparableNumber.value(of: text) == Double(text)!, "\(text)")
        }
    }

    @Test("numbers that do not round-trip have no comparable value", arguments: [
        "0.10000000000000001", "37.807807921694092", "12345678901234567890", "1e309", "1.2345678901234567890",
    ])
    func notComparable(_ text: String) {
        #expect(ComparableNumber.value(of: text) == nil)
    }
}
