// SPDX-License-Identifier: GPL-3.0-or-later
// The real providers' code paths against recorded bytes (no SEV-SNP machine is
// available here): the GHCB certificate table, the firmware's MSG_REPORT_RSP,
// and the configfs-tsm exchange on a directory tree laid out like
// /sys/kernel/config/tsm/report/<entry>, holding the real virtee Milan report
// and its VCEK with AMD's Milan ASK and ARK (tests/data/snp); and the
// SNP_GET_EXT_REPORT exchange of /dev/sev-guest with a host that answers from
// those bytes (and asks for a larger certificate buffer). The evidence that
// comes out must verify against the pinned AMD chain.
#include "tee-backend/attestation/cert_table.h"
#include "tee-backend/attestation/devices.h"

#include "protocol/crypto/x509.h"
#include "protocol/snp/chain.h"
#include "tests/attestation/temp_dir.h"
#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

#include <fstream>

namespace sotto::attestation {
namespace {

namespace fs = std::filesystem;

// 2025-01-01T00:00:00Z: inside the virtee Milan VCEK's validity.
constexpr int64_t kNow = 1735689600;

Bytes fileBytes(const std::string &path)
{
    const std::string s = test::readFile(path);
    return Bytes(s.begin(), s.end());
}

void writeBytes(const fs::path &file, ByteView b)
{
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char *>(b.data()), static_cast<std::streamsize>(b.size()));
}

Bytes readBack(const fs::path &file)
{
    std::ifstream in(file, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct Milan {
    Bytes report = fileBytes("snp/virtee_report_milan.bin");
    Bytes vcek = fileBytes("snp/virtee_vcek_milan.der");
    Bytes ask;
    Bytes ark;
    Milan()
    {
        const auto certs = crypto::Certificate::fromPem(test::readFile("snp/ask_ark_milan.pem"));
        EXPECT_RESULT_OK(certs);
        if (certs.ok() && certs->size() == 2) {
            ask = (*certs)[0].der();
            ark = (*certs)[1].der();
        }
    }
    Bytes reportData() const { return Bytes(report.begin() + 0x50, report.begin() + 0x90); }
    CertificateTable table() const { return { vcek, ask, ark }; }
};

TEST(CertTable, RoundTripAndGuidLayout)
{
    const Milan m;
    const Bytes encoded = encodeCertificateTable(m.table());
    // GUIDs in RFC 4122 byte order, as printed: 63da758d-e664-...
    EXPECT_EQ(toHex(ByteView(encoded).first(16)), "63da758de6644564adc5f4b93be8accd");
    EXPECT_EQ(toHex(ByteView(encoded).subspan(24, 16)), "4ab7b379bbac4fe4a02f05aef327c782");
    EXPECT_EQ(toHex(ByteView(encoded).subspan(48, 16)),
        "c0b406a4a80349529743"
        "3fb6014cd0ae");
    const auto parsed = parseCertificateTable(encoded);
    ASSERT_RESULT_OK(parsed);
    EXPECT_EQ(parsed->vcek, m.vcek);
    EXPECT_EQ(parsed->ask, m.ask);
    EXPECT_EQ(parsed->ark, m.ark);
    // The driver hands over whole pages: zero padding after the data is fine.
    Bytes padded = encoded;
    padded.resize(4 * 4096, 0);
    EXPECT_RESULT_OK(parseCertificateTable(padded));
    // An empty table: the host supplied no certificates.
    const auto empty = parseCertificateTable({});
    ASSERT_RESULT_OK(empty);
    EXPECT_FALSE(empty->vcek || empty->ask || empty->ark);
    const auto onlyTerminator = parseCertificateTable(Bytes(24, 0));
    ASSERT_RESULT_OK(onlyTerminator);
    EXPECT_FALSE(onlyTerminator->vcek);
}

TEST(CertTable, UnknownGuidsAreSkipped)
{
    const Milan m;
    CertificateTable t;
    t.vcek = m.vcek;
    Bytes encoded = encodeCertificateTable(t);
    // Relabel the VCEK entry as a VLEK (a8074bc2-a25a-483e-aae6-39c045a0b8a1).
    const Bytes vlek = test::hex("a8074bc2a25a483eaae639c045a0b8a1");
    std::copy(vlek.begin(), vlek.end(), encoded.begin());
    const auto parsed = parseCertificateTable(encoded);
    ASSERT_RESULT_OK(parsed);
    EXPECT_FALSE(parsed->vcek.has_value());
}

TEST(CertTable, MalformedTablesAreRefused)
{
    const Milan m;
    const Bytes good = encodeCertificateTable(m.table());
    // Truncated: inside the entries (no terminator) or inside a certificate.
    for (size_t n : { size_t { 1 }, size_t { 23 }, size_t { 24 }, size_t { 95 }, size_t { 96 },
             good.size() - 1 }) {
        SCOPED_TRACE(n);
        EXPECT_RESULT_ERROR(
            parseCertificateTable(ByteView(good).first(n)), AttestError::BadResponse);
    }
    const auto withField = [&](size_t entry, size_t field, uint32_t v) {
        Bytes b = good;
        for (int i = 0; i < 4; ++i)
            b[entry * 24 + field + static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (8 * i));
        return b;
    };
    // Offset beyond the end, length overflowing, zero length, pointing into the entries.
    EXPECT_RESULT_ERROR(
        parseCertificateTable(withField(0, 16, 0xffffff00)), AttestError::BadResponse);
    EXPECT_RESULT_ERROR(
        parseCertificateTable(withField(0, 20, 0xffffffff)), AttestError::BadResponse);
    EXPECT_RESULT_ERROR(parseCertificateTable(withField(1, 20, 0)), AttestError::BadResponse);
    EXPECT_RESULT_ERROR(parseCertificateTable(withField(2, 16, 24)), AttestError::BadResponse);
    // The same GUID twice.
    Bytes dup = good;
    std::copy(good.begin(), good.begin() + 16, dup.begin() + 24);
    EXPECT_RESULT_ERROR(parseCertificateTable(dup), AttestError::BadResponse);
}

Bytes reportResponse(ByteView report, uint32_t status, uint32_t size)
{
    Bytes resp(4000, 0); // snp_report_resp.data
    for (int i = 0; i < 4; ++i) {
        resp[static_cast<size_t>(i)] = static_cast<uint8_t>(status >> (8 * i));
        resp[4 + static_cast<size_t>(i)] = static_cast<uint8_t>(size >> (8 * i));
    }
    std::copy(report.begin(), report.end(), resp.begin() + 0x20);
    return resp;
}

TEST(ReportResponse, ParsesTheFirmwaresMessage)
{
    const Milan m;
    const auto report = parseReportResponse(reportResponse(m.report, 0, 0x4A0));
    ASSERT_RESULT_OK(report);
    EXPECT_EQ(*report, m.report);
    EXPECT_RESULT_ERROR(
        parseReportResponse(reportResponse(m.report, 0x16, 0x4A0)), AttestError::DeviceFailed);
    EXPECT_RESULT_ERROR(
        parseReportResponse(reportResponse(m.report, 0, 0x49F)), AttestError::BadResponse);
    EXPECT_RESULT_ERROR(
        parseReportResponse(reportResponse(m.report, 0, 0x4A1)), AttestError::BadResponse);
    const Bytes full = reportResponse(m.report, 0, 0x4A0);
    EXPECT_RESULT_ERROR(
        parseReportResponse(ByteView(full).first(0x20 + 0x49F)), AttestError::BadResponse);
    EXPECT_RESULT_ERROR(parseReportResponse(ByteView(full).first(0x1F)), AttestError::BadResponse);
}

// A host behind /dev/sev-guest, from recorded bytes: the real Milan report in
// MSG_REPORT_RSP and its certificate table. `needed` > 0: a call with a smaller buffer
// answers SNP_GUEST_VMM_ERR_INVALID_LEN with that size (EIO, as the driver).
struct RecordedHost {
    explicit RecordedHost(const Milan &milan, uint32_t needed = 0)
        : m(milan)
        , neededBytes(needed)
    { }
    const Milan &m;
    uint32_t neededBytes;
    int calls = 0;
    std::vector<uint32_t> certsLens;
    Bytes seenUserData;
    int operator()(snp_guest_request_ioctl &io)
    {
        ++calls;
        auto &req = *reinterpret_cast<snp_ext_report_req *>(static_cast<uintptr_t>(io.req_data));
        EXPECT_EQ(io.msg_version, 1);
        EXPECT_EQ(req.data.vmpl, 0u);
        EXPECT_EQ(req.certs_address % 4096, 0u) << "the driver wants page-aligned certificates";
        EXPECT_EQ(req.certs_len % 4096, 0u);
        certsLens.push_back(req.certs_len);
        seenUserData.assign(req.data.user_data, req.data.user_data + 64);
        if (neededBytes > req.certs_len) {
            req.certs_len = neededBytes;
            io.vmm_error = SNP_GUEST_VMM_ERR_INVALID_LEN;
            return EIO;
        }
        const Bytes table = encodeCertificateTable(m.table());
        std::copy(table.begin(), table.end(), reinterpret_cast<uint8_t *>(req.certs_address));
        const Bytes resp = reportResponse(m.report, 0, 0x4A0);
        auto &out = *reinterpret_cast<snp_report_resp *>(static_cast<uintptr_t>(io.resp_data));
        std::copy(resp.begin(), resp.end(), out.data);
        return 0;
    }
};

TEST(SevGuest, RecordedExchangeGivesEvidenceThatVerifiesWithAmdRoots)
{
    const Milan m;
    RecordedHost host { m };
    const auto raw = sevGuestExchange(std::ref(host), m.reportData());
    ASSERT_RESULT_OK(raw);
    EXPECT_EQ(host.calls, 1);
    EXPECT_EQ(host.seenUserData, m.reportData());
    EXPECT_EQ(host.certsLens, std::vector<uint32_t> { 4 * 4096 });
    EXPECT_EQ(raw->report, m.report);
    const auto e = makeEvidence("sev-guest", *raw, m.reportData(), ProviderOptions {});
    ASSERT_RESULT_OK(e);
    EXPECT_EQ(e->vcek, m.vcek);
    EXPECT_EQ(e->ask, m.ask);
    EXPECT_FALSE(e->ark.has_value());
    const auto verified = snp::verifyReport(e->report, e->vcek, kNow);
    ASSERT_RESULT_OK(verified);
    EXPECT_EQ(verified->generation, snp::Generation::Milan);
}

TEST(SevGuest, RetriesOnceWithTheSizeTheHostAsksFor)
{
    const Milan m;
    RecordedHost host { m, 5 * 4096 + 1 };
    const auto raw = sevGuestExchange(std::ref(host), m.reportData());
    ASSERT_RESULT_OK(raw);
    EXPECT_EQ(host.calls, 2);
    EXPECT_EQ(host.certsLens, (std::vector<uint32_t> { 4 * 4096, 6 * 4096 })); // whole pages
    EXPECT_EQ(raw->certificateTable.size(), 6u * 4096);
}

TEST(SevGuest, RefusalsAreDeviceErrorsWithTheirCodes)
{
    const Milan m;
    // More than 64 pages: not followed.
    RecordedHost greedy { m, 65 * 4096 };
    EXPECT_RESULT_ERROR(sevGuestExchange(std::ref(greedy), m.reportData()), AttestError::DeviceFailed);
    EXPECT_EQ(greedy.calls, 1);
    // A host that asks again after the retry.
    int calls = 0;
    const auto insatiable = [&](snp_guest_request_ioctl &io) {
        auto &req = *reinterpret_cast<snp_ext_report_req *>(static_cast<uintptr_t>(io.req_data));
        req.certs_len += 4096;
        io.vmm_error = SNP_GUEST_VMM_ERR_INVALID_LEN;
        ++calls;
        return EIO;
    };
    EXPECT_RESULT_ERROR(sevGuestExchange(insatiable, m.reportData()), AttestError::DeviceFailed);
    EXPECT_EQ(calls, 2);
    // The firmware refuses: its error code is in the detail.
    const auto firmware = [](snp_guest_request_ioctl &io) {
        io.fw_error = 0x16;
        return EIO;
    };
    const auto r = sevGuestExchange(firmware, m.reportData());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), AttestError::DeviceFailed);
    EXPECT_NE(r.detail().find("firmware error 22"), std::string::npos) << r.detail();
    // A STATUS the firmware set in MSG_REPORT_RSP.
    const auto status = [&](snp_guest_request_ioctl &io) {
        const Bytes resp = reportResponse(m.report, 0x27, 0x4A0);
        auto &out = *reinterpret_cast<snp_report_resp *>(static_cast<uintptr_t>(io.resp_data));
        std::copy(resp.begin(), resp.end(), out.data);
        return 0;
    };
    EXPECT_RESULT_ERROR(sevGuestExchange(status, m.reportData()), AttestError::DeviceFailed);
    EXPECT_RESULT_ERROR(sevGuestExchange(status, Bytes(63, 0)), AttestError::BadReportData);
}

// A configfs-tsm report entry as the kernel presents it after a write.
fs::path recordedEntry(const fs::path &root, const Milan &m, bool withAuxblob = true)
{
    const fs::path entry = root / "entry0";
    fs::create_directories(entry);
    writeBytes(entry / "provider", asBytes("sev_guest\n"));
    writeBytes(entry / "generation", asBytes("1\n"));
    writeBytes(entry / "inblob", Bytes(64, 0));
    writeBytes(entry / "outblob", m.report);
    if (withAuxblob)
        writeBytes(entry / "auxblob", encodeCertificateTable(m.table()));
    return entry;
}

TEST(ConfigfsTsm, RecordedExchangeGivesEvidenceThatVerifiesWithAmdRoots)
{
    const Milan m;
    test::TempDir tmp;
    const fs::path entry = recordedEntry(tmp.path(), m);
    const auto raw = configfsTsmExchange(entry, m.reportData());
    ASSERT_RESULT_OK(raw);
    EXPECT_EQ(readBack(entry / "inblob"), m.reportData());
    EXPECT_EQ(raw->report, m.report);

    const auto e = makeEvidence("configfs-tsm", *raw, m.reportData(), ProviderOptions {});
    ASSERT_RESULT_OK(e);
    EXPECT_EQ(e->provider, "configfs-tsm");
    EXPECT_EQ(e->vcek, m.vcek);
    EXPECT_EQ(e->ask, m.ask);
    EXPECT_FALSE(e->ark.has_value()); // AMD's ARK is pinned, never passed on
    const auto verified = snp::verifyReport(e->report, e->vcek, kNow);
    ASSERT_RESULT_OK(verified);
    EXPECT_FALSE(verified->simulated);
    EXPECT_EQ(verified->generation, snp::Generation::Milan);
}

TEST(ConfigfsTsm, RefusalsAndFallbacks)
{
    const Milan m;
    test::TempDir tmp;
    const fs::path entry = recordedEntry(tmp.path(), m, /*withAuxblob=*/false);
    const auto raw = configfsTsmExchange(entry, m.reportData());
    ASSERT_RESULT_OK(raw);
    EXPECT_TRUE(raw->certificateTable.empty());
    // No certificates from the host and none configured.
    EXPECT_RESULT_ERROR(makeEvidence("configfs-tsm", *raw, m.reportData(), ProviderOptions {}),
        AttestError::NoCertificates);
    ProviderOptions options;
    options.vcekFile = test::dataPath("snp/virtee_vcek_milan.der");
    const auto e = makeEvidence("configfs-tsm", *raw, m.reportData(), options);
    ASSERT_RESULT_OK(e);
    EXPECT_EQ(e->vcek, m.vcek);
    EXPECT_FALSE(e->ask.has_value());
    // A report for other REPORT_DATA, or no report at all.
    EXPECT_RESULT_ERROR(
        makeEvidence("configfs-tsm", *raw, Bytes(64, 0x01), options), AttestError::BadResponse);
    RawEvidence truncated = *raw;
    truncated.report.pop_back();
    EXPECT_RESULT_ERROR(
        makeEvidence("configfs-tsm", truncated, m.reportData(), options), AttestError::BadResponse);
    RawEvidence badTable = *raw;
    badTable.certificateTable = Bytes(23, 0x01);
    EXPECT_RESULT_ERROR(
        makeEvidence("configfs-tsm", badTable, m.reportData(), options), AttestError::BadResponse);

    // Another TSM (TDX) behind configfs-tsm.
    writeBytes(entry / "provider", asBytes("tdx_guest\n"));
    EXPECT_RESULT_ERROR(configfsTsmExchange(entry, m.reportData()), AttestError::Unavailable);
    writeBytes(entry / "provider", asBytes("sev_guest\n"));
    // REPORT_DATA must be 64 bytes.
    EXPECT_RESULT_ERROR(configfsTsmExchange(entry, Bytes(32, 0)), AttestError::BadReportData);
    // A garbled generation counter.
    writeBytes(entry / "generation", asBytes("x\n"));
    EXPECT_RESULT_ERROR(configfsTsmExchange(entry, m.reportData()), AttestError::BadResponse);
    // An oversized outblob.
    writeBytes(entry / "generation", asBytes("1\n"));
    writeBytes(entry / "outblob", Bytes(20000, 0));
    EXPECT_RESULT_ERROR(configfsTsmExchange(entry, m.reportData()), AttestError::BadResponse);
    // No outblob.
    fs::remove(entry / "outblob");
    EXPECT_RESULT_ERROR(configfsTsmExchange(entry, m.reportData()), AttestError::DeviceFailed);
}

TEST(ConfigfsTsm, ProviderCleansUpItsEntry)
{
    // A plain directory as the report root: mkdir works, but the new entry
    // has no attributes (the kernel is not there to make them).
    test::TempDir tmp;
    ProviderOptions options;
    options.kind = "configfs-tsm";
    options.configfsTsmRoot = tmp.path();
    const auto p = openProvider(options);
    ASSERT_RESULT_OK(p);
    EXPECT_RESULT_ERROR((*p)->attest(Bytes(64, 0)), AttestError::DeviceFailed);
    EXPECT_TRUE(fs::is_empty(tmp.path()));
    EXPECT_RESULT_ERROR((*p)->attest(Bytes(12, 0)), AttestError::BadReportData);
}

} // namespace
} // namespace sotto::attestation
