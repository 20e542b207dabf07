// SPDX-License-Identifier: GPL-3.0-or-later
// sotto-init: pid 1 of the gateway's confidential VM image (deploy/cvm/README.md).
//
// It mounts what the gateway needs (/proc, /sys, configfs for
// /sys/kernel/config/tsm/report, /dev, a tmpfs /run, the host's read-only
// virtio-fs share "sotto-public" with the issuer keys), turns core dumps off for
// everything after it, and execs
//
//     /usr/bin/sotto-gateway --config /etc/sotto/gateway.conf
//         --release /run/sotto-public/release.json --log-index N
//
// with the release statement and its log index from the share: they name the
// image's measurement, so they cannot be inside it. A host that gives wrong
// ones only makes clients refuse (the report's measurement must be the
// statement's, and the statement must be in the log at that index).
//
// The gateway becomes pid 1: when it exits the kernel panics and, with
// panic=1 on the command line, the guest restarts rather than running on in an
// unknown state. The network is configured by the kernel (ip=dhcp). There is no
// shell and nothing else to start. Static, so the image needs no loader for it.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static const char kGateway[] = "/usr/bin/sotto-gateway";
static const char kConfig[] = "/etc/sotto/gateway.conf";
static const char kRelease[] = "/run/sotto-public/release.json";
static const char kLogIndex[] = "/run/sotto-public/log-index";

// The decimal log index from the share into `out` (at most 19 digits, then
// an optional newline). Returns 0 on success.
static int readLogIndex(char *out, size_t size)
{
    FILE *f = fopen(kLogIndex, "re");
    if (!f) {
        fprintf(stderr, "sotto-init: %s: %s (is the sotto-public share attached?)\n", kLogIndex,
            strerror(errno));
        return -1;
    }
    size_t n = fread(out, 1, size - 1, f);
    fclose(f);
    out[n] = '\0';
    if (n > 0 && out[n - 1] == '\n')
        out[--n] = '\0';
    int ok = n > 0 && n <= 19;
    for (size_t i = 0; i < n; ++i)
        ok = ok && out[i] >= '0' && out[i] <= '9';
    if (!ok) {
        fprintf(stderr, "sotto-init: %s is not a decimal log index\n", kLogIndex);
        return -1;
    }
    return 0;
}

// Mounts `type` on `target`; EBUSY (already mounted, e.g. devtmpfs by the
// kernel) is fine. Returns 0 on success.
static int mountOne(const char *source, const char *target, const char *type,
    unsigned long flags, const char *data, int required)
{
    if (mkdir(target, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "sotto-init: mkdir %s: %s\n", target, strerror(errno));
        return required ? -1 : 0;
    }
    if (mount(source, target, type, flags, data) == 0 || errno == EBUSY)
        return 0;
    fprintf(stderr, "sotto-init: mount %s on %s: %s%s\n", type, target, strerror(errno),
        required ? "" : " (continuing)");
    return required ? -1 : 0;
}

int main(void)
{
    const unsigned long hardened = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    int failed = 0;
    failed |= mountOne("proc", "/proc", "proc", hardened, NULL, 1);
    failed |= mountOne("sysfs", "/sys", "sysfs", hardened, NULL, 1);
    // configfs-tsm needs it; without it the gateway falls back to /dev/sev-guest.
    failed |= mountOne("configfs", "/sys/kernel/config", "configfs", hardened, NULL, 0);
    failed |= mountOne("devtmpfs", "/dev", "devtmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755", 0);
    failed |= mountOne("tmpfs", "/run", "tmpfs", hardened, "mode=0755,size=16m", 1);
    // The issuer keys change with the component's key epochs and are public:
    // they come from the host on a read-only virtio-fs share, outside the
    // measurement (a wrong file only makes tokens fail).
    failed |= mountOne("sotto-public", "/run/sotto-public", "virtiofs", hardened | MS_RDONLY, NULL, 0);
    if (failed) {
        fprintf(stderr, "sotto-init: the gateway is not started\n");
        return 1;
    }
    // No process of this guest may leave a core dump (the gateway also sets
    // PR_SET_DUMPABLE 0 itself).
    const struct rlimit noCore = { 0, 0 };
    if (setrlimit(RLIMIT_CORE, &noCore) != 0) {
        fprintf(stderr, "sotto-init: setrlimit(RLIMIT_CORE): %s\n", strerror(errno));
        return 1;
    }
    if (chdir("/") != 0)
        return 1;
    char index[24];
    if (readLogIndex(index, sizeof index) != 0)
        return 1;
    char *const argv[] = { (char *)"sotto-gateway", (char *)"--config", (char *)kConfig,
        (char *)"--release", (char *)kRelease, (char *)"--log-index", index, NULL };
    char *const envp[] = { (char *)"PATH=/usr/bin", (char *)"LANG=C.UTF-8", NULL };
    execve(kGateway, argv, envp);
    fprintf(stderr, "sotto-init: exec %s: %s\n", kGateway, strerror(errno));
    return 1;
}
