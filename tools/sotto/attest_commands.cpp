// SPDX-License-Identifier: GPL-3.0-or-later
// `sotto attest verify|show`: AMD SEV-SNP evidence for users, admins and
// researchers. `verify` runs exactly the client's checks (protocol/snp: the
// report parser, AMD's pinned ARK -> ASK -> VCEK chain, the VCEK's
// extensions, the TeePolicy, and with a bundle the REPORT_DATA binding) and
// exits 0 only when everything holds. `show` prints a report's fields.
// The policy file format is documented in docs/ATTESTATION.md.
#include "protocol/crypto/x509.h"
#include "protocol/formats/evidence.h"
#include "protocol/formats/release_statement.h"
#include "protocol/snp/binding.h"
#include "protocol/snp/chain.h"
#include "protocol/snp/policy.h"
#include "protocol/snp/report.h"
#include "tee-backend/attestation/provider.h"
#include "tools/sotto/cli_options.h"
#include "tools/sotto/commands.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <set>
#include <string>

namespace sotto::cli {
namespace {

using nlohmann::json;

int usage()
{
    std::fprintf(stderr,
        "usage: sotto attest verify --report R.bin --vcek V.der [--ask A.der] [--policy P.json]\n"
        "                           [--json] [--time UNIX_SECONDS]\n"
        "       sotto attest verify --bundle B.json --nonce HEX [--policy P.json] [--json]\n"
        "                           [--time UNIX_SECONDS] [--report R.bin --vcek V.der ...]\n"
        "           verify an SEV-SNP report against AMD's pinned roots and the policy;\n"
        "           a bundle (GET /evidence) is verified with its REPORT_DATA binding to the\n"
        "           nonce the client sent; files given beside it must be the bundle's own.\n"
        "           Exit status 0 only when verified. Policy format: docs/ATTESTATION.md.\n"
        "       sotto attest show R.bin\n"
        "           print every field of a report, with the TCB decoded\n"
        "       sotto attest simulate --dir DIR --key-configs K.bin --nonce HEX --not-after UNIX\n"
        "                             --release R.json [--log-index N] [--measure FILE]...\n"
        "           print an evidence bundle from the SIMULATED provider (development only;\n"
        "           its chain is made once in DIR), as the gateway serves it\n");
    return kExitUsage;
}

// What went wrong, for the text and JSON outputs: a stable name (an SnpError
// name, or one of the CLI's own below) and a sentence.
struct Problem {
    std::string error;
    std::string detail;
};

Problem snpProblem(snp::SnpError e, const std::string &detail)
{
    return { std::string(snp::errorName(e)), detail };
}

std::optional<Bytes> readBytes(const std::string &path, Problem &problem)
{
    const auto text = readWholeFile(path);
    if (!text) {
        problem = { "InputUnreadable", "cannot read " + path };
        return std::nullopt;
    }
    return Bytes(text->begin(), text->end());
}

std::optional<snp::Generation> generationFromName(const std::string &name)
{
    for (snp::Generation g :
        { snp::Generation::Milan, snp::Generation::Genoa, snp::Generation::Turin }) {
        std::string lower(snp::generationName(g));
        std::transform(lower.begin(), lower.end(), lower.begin(),
            [](unsigned char c) { return std::tolower(c); });
        if (lower == name)
            return g;
    }
    return std::nullopt;
}

// The policy file (docs/ATTESTATION.md "Policy file"): one JSON object, every
// member optional, nothing else allowed.
std::optional<snp::TeePolicy> parsePolicy(const std::string &text, Problem &problem)
{
    const auto bad = [&problem](const std::string &why) {
        problem = { "PolicyInvalid", why };
        return std::nullopt;
    };
    std::vector<std::set<std::string>> open;
    std::string duplicate;
    json::parser_callback_t onEvent = [&](int, json::parse_event_t event, json &parsed) {
        if (event == json::parse_event_t::object_start)
            open.emplace_back();
        else if (event == json::parse_event_t::object_end && !open.empty())
            open.pop_back();
        else if (event == json::parse_event_t::key && !open.empty()
            && !open.back().insert(parsed.get<std::string>()).second)
            duplicate = parsed.get<std::string>();
        return true;
    };
    const json j = json::parse(text, onEvent, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object())
        return bad("the policy is not a JSON object");
    if (!duplicate.empty())
        return bad("'" + duplicate + "' appears twice");
    static const std::set<std::string> kFields { "allow_debug", "allow_migration_agent",
        "allow_simulated", "generations", "measurements", "minimum_tcb", "vmpl" };
    for (const auto &[key, value] : j.items())
        if (!kFields.count(key))
            return bad("unknown field '" + key + "'");

    snp::TeePolicy p;
    for (const auto &[key, field] : { std::pair { "allow_debug", &p.allowDebug },
             std::pair { "allow_migration_agent", &p.allowMigrationAgent },
             std::pair { "allow_simulated", &p.allowSimulated } }) {
        if (!j.contains(key))
            continue;
        if (!j[key].is_boolean())
            return bad(std::string("'") + key + "' must be true or false");
        *field = j[key].get<bool>();
    }
    if (j.contains("generations")) {
        const json &g = j["generations"];
        if (!g.is_array() || g.empty())
            return bad(
                "'generations' must be a non-empty array of \"milan\", \"genoa\", \"turin\"");
        p.allowedGenerations.clear();
        for (const json &name : g) {
            const auto gen
                = name.is_string() ? generationFromName(name.get<std::string>()) : std::nullopt;
            if (!gen)
                return bad("'generations' has " + name.dump()
                    + ", expected \"milan\", \"genoa\" or \"turin\"");
            p.allowedGenerations.push_back(*gen);
        }
    }
    if (j.contains("minimum_tcb")) {
        const json &t = j["minimum_tcb"];
        if (!t.is_object())
            return bad("'minimum_tcb' must be an object");
        for (const auto &[key, field] : { std::pair { "bootloader", &p.minimumTcb.bootloader },
                 std::pair { "tee", &p.minimumTcb.tee }, std::pair { "snp", &p.minimumTcb.snp },
                 std::pair { "microcode", &p.minimumTcb.microcode },
                 std::pair { "fmc", &p.minimumTcb.fmc } }) {
            if (!t.contains(key))
                continue;
            if (!t[key].is_number_unsigned() || t[key].get<uint64_t>() > 255)
                return bad(std::string("'minimum_tcb.") + key + "' must be an integer 0..255");
            *field = static_cast<uint8_t>(t[key].get<uint64_t>());
        }
        for (const auto &[key, value] : t.items())
            if (key != "bootloader" && key != "tee" && key != "snp" && key != "microcode"
                && key != "fmc")
                return bad("unknown field 'minimum_tcb." + key + "'");
    }
    if (j.contains("vmpl")) {
        const json &v = j["vmpl"];
        if (v.is_null())
            p.requiredVmpl.reset();
        else if (v.is_number_unsigned() && v.get<uint64_t>() <= 3)
            p.requiredVmpl = static_cast<uint32_t>(v.get<uint64_t>());
        else
            return bad("'vmpl' must be 0..3, or null to accept any");
    }
    if (j.contains("measurements")) {
        const json &m = j["measurements"];
        if (!m.is_array())
            return bad("'measurements' must be an array of 96-hex-digit measurements");
        std::vector<Bytes> set;
        for (const json &h : m) {
            const auto bytes = h.is_string() ? fromHex(h.get<std::string>()) : std::nullopt;
            if (!bytes || bytes->size() != 48)
                return bad("'measurements' has " + h.dump() + ", expected 96 hex digits");
            set.push_back(*bytes);
        }
        p.allowedMeasurements = std::move(set);
    }
    return p;
}

json tcbJson(const snp::Tcb &t)
{
    json j = { { "bootloader", t.bootloader }, { "tee", t.tee }, { "snp", t.snp },
        { "microcode", t.microcode } };
    if (t.fmc)
        j["fmc"] = *t.fmc;
    return j;
}

json policyJson(const snp::GuestPolicy &p)
{
    char raw[24];
    std::snprintf(raw, sizeof raw, "0x%" PRIx64, p.raw);
    return { { "raw", raw }, { "debug", p.debugAllowed() }, { "migrate_ma", p.migrateMaAllowed() },
        { "smt", p.smtAllowed() }, { "single_socket", p.singleSocketRequired() },
        { "abi_major", p.abiMajor() }, { "abi_minor", p.abiMinor() } };
}

// The facts of a report that could not be verified (so no generation from
// the chain): from the report itself, TCB in the layout its CPUID names, or
// the Milan/Genoa layout for a version 2 report.
json unverifiedFacts(const snp::AttestationReport &r)
{
    const auto g = r.cpuidGeneration();
    json j;
    j["generation"] = g ? json(std::string(snp::generationName(*g))) : json(nullptr);
    j["version"] = r.version();
    j["measurement"] = toHex(r.measurement());
    j["report_data"] = toHex(r.reportData());
    j["host_data"] = toHex(r.hostData());
    j["chip_id"] = toHex(r.chipId());
    j["report_id"] = toHex(r.reportId());
    const auto tcb = snp::decodeTcb(r.reportedTcb(), g.value_or(snp::Generation::Milan));
    j["reported_tcb"] = tcb.ok() ? tcbJson(*tcb) : json(nullptr);
    j["policy"] = policyJson(r.policy());
    j["vmpl"] = r.vmpl();
    return j;
}

json verifiedFacts(const snp::VerificationResult &v)
{
    return { { "generation", std::string(snp::generationName(v.generation)) },
        { "version", v.version }, { "measurement", toHex(v.measurement) },
        { "report_data", toHex(v.reportData) }, { "host_data", toHex(v.hostData) },
        { "chip_id", toHex(v.chipId) }, { "report_id", toHex(v.reportId) },
        { "reported_tcb", tcbJson(v.reportedTcb) }, { "policy", policyJson(v.policy) },
        { "vmpl", v.vmpl }, { "guest_svn", v.guestSvn }, { "vcek_sha256", toHex(v.vcekSha256) } };
}

struct Outcome {
    json facts = json::object();
    bool simulated = false;
    std::optional<std::string> provider;
    std::optional<bool> bindingChecked;
    std::optional<Problem> problem;
};

int finish(const Outcome &o, bool asJson)
{
    const bool verified = !o.problem.has_value();
    json j = o.facts;
    j["verified"] = verified;
    j["simulated"] = o.simulated;
    for (const char *k :
        { "generation", "measurement", "report_data", "chip_id", "reported_tcb", "policy", "vmpl" })
        if (!j.contains(k))
            j[k] = nullptr;
    if (o.provider)
        j["provider"] = *o.provider;
    if (o.bindingChecked)
        j["binding_checked"] = *o.bindingChecked;
    if (o.problem) {
        j["error"] = o.problem->error;
        j["detail"] = o.problem->detail;
    }
    if (asJson) {
        std::printf("%s\n", j.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
        return verified ? kExitOk : kExitFailure;
    }
    if (verified)
        std::printf("verified: yes%s\n",
            o.simulated ? " (SIMULATED TEE: development only, no hardware)" : "");
    else
        std::printf(
            "verified: NO\nerror: %s: %s\n", o.problem->error.c_str(), o.problem->detail.c_str());
    const auto line = [&j](const char *label, const char *key) {
        if (j.contains(key) && !j[key].is_null())
            std::printf("%-14s %s\n", label,
                j[key].is_string() ? j[key].get<std::string>().c_str() : j[key].dump().c_str());
    };
    line("provider:", "provider");
    line("generation:", "generation");
    line("measurement:", "measurement");
    line("report data:", "report_data");
    line("chip id:", "chip_id");
    line("reported TCB:", "reported_tcb");
    line("policy:", "policy");
    line("vmpl:", "vmpl");
    line("binding:", "binding_checked");
    return verified ? kExitOk : kExitFailure;
}

int verify(Args args)
{
    Options opts(
        { "--report", "--vcek", "--ask", "--ark", "--policy", "--nonce", "--bundle", "--time" },
        { "--json" });
    if (!opts.parse(args) || !opts.positional().empty()) {
        if (!opts.error().empty())
            std::fprintf(stderr, "sotto attest verify: %s\n", opts.error().c_str());
        return usage();
    }
    const bool asJson = opts.has("--json");
    const bool withBundle = opts.has("--bundle");
    // --report and --vcek go together; with --bundle they may be given too,
    // and must then be the bundle's own.
    if (opts.has("--report") != opts.has("--vcek") || (!withBundle && !opts.has("--report"))) {
        std::fprintf(stderr, "sotto attest verify: give --report and --vcek, or --bundle\n");
        return usage();
    }
    int64_t now = static_cast<int64_t>(std::time(nullptr));
    if (auto t = opts.value("--time")) {
        char *end = nullptr;
        const long long v = std::strtoll(t->c_str(), &end, 10);
        if (t->empty() || *end != '\0' || v < 0) {
            std::fprintf(stderr, "sotto attest verify: --time wants unix seconds\n");
            return usage();
        }
        now = v;
    }
    std::optional<Bytes> nonce;
    if (auto n = opts.value("--nonce")) {
        nonce = fromHex(*n);
        if (!nonce) {
            std::fprintf(stderr, "sotto attest verify: --nonce is not hex\n");
            return usage();
        }
    }

    Outcome o;
    Problem problem;
    const auto failWith = [&](Problem p) {
        o.problem = std::move(p);
        return finish(o, asJson);
    };

    snp::TeePolicy policy;
    if (auto path = opts.value("--policy")) {
        const auto text = readWholeFile(*path);
        if (!text)
            return failWith({ "InputUnreadable", "cannot read " + *path });
        auto parsed = parsePolicy(*text, problem);
        if (!parsed)
            return failWith(problem);
        policy = *parsed;
    }

    Bytes report, vcek;
    std::optional<Bytes> ask, ark;
    std::optional<formats::EvidenceBundle> bundle;
    if (opts.has("--report")) {
        auto r = readBytes(*opts.value("--report"), problem);
        auto v = r ? readBytes(*opts.value("--vcek"), problem) : std::nullopt;
        if (!r || !v)
            return failWith(problem);
        report = std::move(*r);
        vcek = std::move(*v);
        for (auto &[flag, slot] : { std::pair { "--ask", &ask }, std::pair { "--ark", &ark } }) {
            if (auto path = opts.value(flag)) {
                auto b = readBytes(*path, problem);
                if (!b)
                    return failWith(problem);
                *slot = std::move(*b);
            }
        }
    }
    if (withBundle) {
        const auto text = readWholeFile(*opts.value("--bundle"));
        if (!text)
            return failWith({ "InputUnreadable", "cannot read " + *opts.value("--bundle") });
        auto parsed = formats::parseEvidenceBundle(*text);
        if (!parsed)
            return failWith(
                { "Bundle" + std::string(formats::errorName(parsed.error())), parsed.detail() });
        bundle = std::move(parsed).value();
        o.provider = bundle->provider;
        // Files given beside the bundle are a claim about it: they must be
        // the bundle's own, or nothing is verified.
        const auto differs = [](const std::optional<Bytes> &given, const std::optional<Bytes> &in) {
            return given && given != in;
        };
        const std::pair<const char *, bool> claims[] = {
            { "--report", opts.has("--report") && report != bundle->report },
            { "--vcek", opts.has("--vcek") && vcek != bundle->vcek },
            { "--ask", differs(ask, bundle->ask) },
            { "--ark", differs(ark, bundle->ark) },
        };
        for (const auto &[flag, mismatch] : claims) {
            if (mismatch)
                return failWith({ "BundleMismatch",
                    std::string("the file given with ") + flag
                        + " is not the one in the bundle" });
        }
        report = bundle->report;
        vcek = bundle->vcek;
        ask = bundle->ask;
        ark = bundle->ark;
    } else if (nonce) {
        // REPORT_DATA binds the key configs, the nonce and not_after: without
        // the bundle that carries the first and the last, the binding the
        // caller asked for cannot be checked.
        return failWith({ "BundleRequired",
            "--nonce asks for the REPORT_DATA binding, which also covers the key configs and "
            "not_after of the evidence bundle: pass it with --bundle B.json" });
    }

    // Facts from the report alone, so that a failure still says what it was.
    if (const auto parsed = snp::AttestationReport::parse(report); parsed.ok())
        o.facts = unverifiedFacts(*parsed);

    // The simulated root comes with the evidence; it is trusted only when the
    // policy says allow_simulated, and then alone (never with AMD's roots).
    const bool simulatedEvidence = ark.has_value() || (bundle && bundle->provider == "simulated");
    std::vector<snp::TrustedChain> trusted;
    if (simulatedEvidence) {
        o.simulated = true;
        if (!policy.allowSimulated)
            return failWith(snpProblem(snp::SnpError::PolicySimulatedNotAllowed,
                "the evidence comes from a simulated TEE (its own ARK), and the policy does not "
                "allow_simulated"));
        if (!ask)
            return failWith(snpProblem(
                snp::SnpError::SimulatedChainInvalid, "a simulated chain needs its ASK"));
        auto chain = snp::simulatedChain(*ark, *ask);
        if (!chain)
            return failWith(snpProblem(chain.error(), chain.detail()));
        trusted.push_back(std::move(chain).value());
    } else {
        trusted = snp::pinnedAmdChains();
    }

    const auto verified = snp::verifyReport(report, vcek, now, trusted);
    if (!verified)
        return failWith(snpProblem(verified.error(), verified.detail()));
    o.facts = verifiedFacts(*verified);
    o.simulated = verified->simulated;
    // A supplied ASK must be the one that issued the VCEK (AMD's pinned one).
    if (ask && !simulatedEvidence) {
        const auto &pinned = snp::pinnedAmdChains();
        const auto it = std::find_if(pinned.begin(), pinned.end(),
            [&](const snp::TrustedChain &c) { return c.generation == verified->generation; });
        if (it == pinned.end() || it->ask.der() != *ask)
            return failWith(snpProblem(snp::SnpError::UnknownRoot,
                "the supplied ASK is not AMD's pinned "
                    + std::string(snp::generationName(verified->generation)) + " ASK"));
    }
    if (auto s = snp::checkPolicy(*verified, policy); !s.ok())
        return failWith(snpProblem(s.error(), s.detail()));

    if (bundle) {
        // The release statement in the bundle must describe this report.
        const json release = json::parse(bundle->release, nullptr, /*allow_exceptions=*/false);
        const std::string measurement = toHex(verified->measurement);
        if (release.value("measurement", "") != measurement)
            return failWith({ "ReleaseMismatch",
                "the bundle's release statement has measurement " + release.value("measurement", "")
                    + ", the report " + measurement });
        char policyHex[24];
        std::snprintf(policyHex, sizeof policyHex, "0x%" PRIx64, verified->policy.raw);
        if (release.value("policy", "") != policyHex)
            return failWith({ "ReleaseMismatch",
                "the bundle's release statement has policy " + release.value("policy", "")
                    + ", the report " + policyHex });
        if (bundle->notAfter < static_cast<uint64_t>(now))
            return failWith({ "BundleExpired",
                "the bundle's not_after " + std::to_string(bundle->notAfter) + " is before now ("
                    + std::to_string(now) + ")" });
        // Without the nonce the client sent, nothing ties these key configs to the
        // report: a bundle is verified only with its binding checked.
        if (!nonce)
            return failWith({ "NonceRequired",
                "a bundle's REPORT_DATA binds its key configs to the nonce the client sent; "
                "pass that nonce with --nonce HEX (the binding was not checked)" });
        if (auto s = snp::checkEvidenceBinding(
                verified->reportData, bundle->keyConfigs, *nonce, bundle->notAfter);
            !s.ok())
            return failWith(snpProblem(s.error(), s.detail()));
        o.bindingChecked = true;
    }
    return finish(o, asJson);
}

void hexDump(ByteView b)
{
    for (size_t at = 0; at < b.size(); at += 16) {
        std::printf("  %04zx ", at);
        for (size_t i = at; i < at + 16 && i < b.size(); ++i)
            std::printf(" %02x", b[i]);
        std::printf("\n");
    }
}

std::string tcbText(uint64_t raw, std::optional<snp::Generation> g)
{
    char head[32];
    std::snprintf(head, sizeof head, "0x%016" PRIx64, raw);
    const auto t = snp::decodeTcb(raw, g.value_or(snp::Generation::Milan));
    if (!t.ok())
        return std::string(head) + " (" + t.detail() + ")";
    std::string s = std::string(head) + " = bootloader " + std::to_string(t->bootloader) + ", tee "
        + std::to_string(t->tee) + ", snp " + std::to_string(t->snp) + ", microcode "
        + std::to_string(t->microcode);
    if (t->fmc)
        s += ", fmc " + std::to_string(*t->fmc);
    return s;
}

int show(Args args)
{
    if (args.size() != 1)
        return usage();
    const auto text = readWholeFile(std::string(args[0]));
    if (!text) {
        std::fprintf(stderr, "sotto attest show: cannot read %.*s\n",
            static_cast<int>(args[0].size()), args[0].data());
        return kExitFailure;
    }
    const auto r = snp::AttestationReport::parse(asBytes(*text));
    if (!r) {
        std::fprintf(stderr, "sotto attest show: %s: %s\n",
            std::string(snp::errorName(r.error())).c_str(), r.detail().c_str());
        return kExitFailure;
    }
    const auto g = r->cpuidGeneration();
    const snp::GuestPolicy p = r->policy();
    const snp::PlatformInfo pi = r->platformInfo();
    std::printf("SEV-SNP attestation report, %zu bytes (AMD ABI spec 56860 section 7.3)\n",
        r->bytes().size());
    hexDump(r->bytes());
    const auto hex = [](ByteView b) { return toHex(b); };
    std::printf("version            %u\n", r->version());
    std::printf("guest_svn          %u\n", r->guestSvn());
    std::printf("policy             0x%016" PRIx64 " (abi %u.%u, smt %s, migrate_ma %s, debug %s, "
                "single_socket %s)\n",
        p.raw, p.abiMajor(), p.abiMinor(), p.smtAllowed() ? "allowed" : "no",
        p.migrateMaAllowed() ? "ALLOWED" : "no", p.debugAllowed() ? "ALLOWED" : "no",
        p.singleSocketRequired() ? "required" : "no");
    std::printf("family_id          %s\n", hex(r->familyId()).c_str());
    std::printf("image_id           %s\n", hex(r->imageId()).c_str());
    std::printf("vmpl               %u\n", r->vmpl());
    std::printf("signature_algo     %u%s\n", r->signatureAlgorithm(),
        r->signatureAlgorithm() == 1 ? " (ECDSA P-384 with SHA-384)" : " (unknown)");
    std::printf("generation         %s\n",
        g ? std::string(snp::generationName(*g)).c_str()
          : "not stated (version 2: the VCEK chain tells; TCB shown in the Milan/Genoa layout)");
    std::printf("current_tcb        %s\n", tcbText(r->currentTcb(), g).c_str());
    std::printf("platform_info      0x%016" PRIx64 " (smt %s, tsme %s, ecc %s)\n", pi.raw,
        pi.smtEnabled() ? "on" : "off", pi.tsmeEnabled() ? "on" : "off",
        pi.eccEnabled() ? "on" : "off");
    std::printf("author_key_en      %d\nmask_chip_key      %d\nsigning_key        %u%s\n",
        r->authorKeyEnabled() ? 1 : 0, r->maskChipKey() ? 1 : 0, r->signingKey(),
        r->signingKey() == 0       ? " (VCEK)"
            : r->signingKey() == 1 ? " (VLEK)"
                                   : "");
    std::printf("report_data        %s\n", hex(r->reportData()).c_str());
    std::printf("measurement        %s\n", hex(r->measurement()).c_str());
    std::printf("host_data          %s\n", hex(r->hostData()).c_str());
    std::printf("id_key_digest      %s\n", hex(r->idKeyDigest()).c_str());
    std::printf("author_key_digest  %s\n", hex(r->authorKeyDigest()).c_str());
    std::printf("report_id          %s\n", hex(r->reportId()).c_str());
    std::printf("report_id_ma       %s\n", hex(r->reportIdMa()).c_str());
    std::printf("reported_tcb       %s\n", tcbText(r->reportedTcb(), g).c_str());
    std::printf("cpuid              family 0x%02x model 0x%02x stepping 0x%02x\n",
        r->cpuidFamilyId(), r->cpuidModelId(), r->cpuidStepping());
    std::printf("chip_id            %s\n", hex(r->chipId()).c_str());
    std::printf("committed_tcb      %s\n", tcbText(r->committedTcb(), g).c_str());
    std::printf("current firmware   %u.%u build %u\n", r->currentMajor(), r->currentMinor(),
        r->currentBuild());
    std::printf("committed firmware %u.%u build %u\n", r->committedMajor(), r->committedMinor(),
        r->committedBuild());
    std::printf("launch_tcb         %s\n", tcbText(r->launchTcb(), g).c_str());
    std::printf("signature r (LE)   %s\n", hex(r->signatureR()).c_str());
    std::printf("signature s (LE)   %s\n", hex(r->signatureS()).c_str());
    std::printf("(not verified: use `sotto attest verify`)\n");
    return kExitOk;
}

std::optional<uint64_t> parseUnsigned(const std::string &s)
{
    if (s.empty() || s.size() > 20 || s.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    errno = 0;
    const unsigned long long v = std::strtoull(s.c_str(), nullptr, 10);
    if (errno != 0)
        return std::nullopt;
    return v;
}

// The gateway's part, with the simulated provider: REPORT_DATA binds the key
// configs, the nonce and not_after (protocol/snp/binding.h).
int simulate(Args args)
{
    Options opts({ "--dir", "--key-configs", "--nonce", "--not-after", "--release", "--log-index",
                     "--measure" },
        {}, { "--measure" });
    if (!opts.parse(args) || !opts.positional().empty()) {
        if (!opts.error().empty())
            std::fprintf(stderr, "sotto attest simulate: %s\n", opts.error().c_str());
        return usage();
    }
    for (const char *required : { "--dir", "--key-configs", "--nonce", "--not-after", "--release" })
        if (!opts.has(required)) {
            std::fprintf(stderr, "sotto attest simulate: %s is required\n", required);
            return usage();
        }
    const auto nonce = fromHex(*opts.value("--nonce"));
    const auto notAfter = parseUnsigned(*opts.value("--not-after"));
    const auto logIndex = parseUnsigned(opts.value("--log-index").value_or("0"));
    if (!nonce || !notAfter || !logIndex) {
        std::fprintf(stderr,
            "sotto attest simulate: --nonce is hex, --not-after and --log-index are numbers\n");
        return usage();
    }
    const auto keyConfigs = readWholeFile(*opts.value("--key-configs"));
    const auto releaseText = readWholeFile(*opts.value("--release"));
    if (!keyConfigs || !releaseText) {
        std::fprintf(
            stderr, "sotto attest simulate: cannot read the key configs or release statement\n");
        return kExitFailure;
    }
    const auto release = formats::canonicalReleaseStatement(*releaseText);
    if (!release) {
        std::fprintf(
            stderr, "sotto attest simulate: release statement: %s\n", release.detail().c_str());
        return kExitFailure;
    }
    const auto reportData = snp::evidenceReportData(asBytes(*keyConfigs), *nonce, *notAfter);
    if (!reportData) {
        std::fprintf(stderr, "sotto attest simulate: %s\n", reportData.detail().c_str());
        return kExitFailure;
    }
    attestation::ProviderOptions options;
    options.kind = "simulated";
    options.simulatedDir = *opts.value("--dir");
    for (const std::string &f : opts.values("--measure"))
        options.measuredFiles.emplace_back(f);
    auto provider = attestation::openProvider(options);
    if (!provider) {
        std::fprintf(stderr, "sotto attest simulate: %s: %s\n",
            std::string(attestation::errorName(provider.error())).c_str(),
            provider.detail().c_str());
        return kExitFailure;
    }
    auto evidence = (*provider)->attest(*reportData);
    if (!evidence) {
        std::fprintf(stderr, "sotto attest simulate: %s: %s\n",
            std::string(attestation::errorName(evidence.error())).c_str(),
            evidence.detail().c_str());
        return kExitFailure;
    }
    formats::EvidenceBundle b;
    b.provider = evidence->provider;
    b.report = evidence->report;
    b.vcek = evidence->vcek;
    b.ask = evidence->ask;
    b.ark = evidence->ark;
    b.keyConfigs = toBytes(*keyConfigs);
    b.notAfter = *notAfter;
    b.release = *release;
    b.logIndex = *logIndex;
    std::printf("%s\n", formats::encodeEvidenceBundle(b).c_str());
    return kExitOk;
}

} // namespace

int runAttest(Args args)
{
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        usage();
        return args.empty() ? kExitUsage : kExitOk;
    }
    if (args[0] == "verify")
        return verify(args.subspan(1));
    if (args[0] == "show")
        return show(args.subspan(1));
    if (args[0] == "simulate")
        return simulate(args.subspan(1));
    return usage();
}

} // namespace sotto::cli
