/*
 * TEST-ONLY shim, never shipped: used by scripts/check-windows.sh to run the exe under Wine.
 *
 * Rust's standard library (Windows 10+) takes its random bytes from ProcessPrng in
 * bcryptprimitives.dll, which every Windows 10/11 has but Wine 8.0 (Debian 12) lacks, so the
 * exe would not even load there. This DLL, put beside the exe in the test only, provides
 * that one function on top of RtlGenRandom (advapi32's SystemFunction036).
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE; /* the real ProcessPrng never fails */
}
