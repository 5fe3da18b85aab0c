#ifndef RUNNER_COPENSSL_SHIM_H
#define RUNNER_COPENSSL_SHIM_H

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/md5.h>
#include <openssl/opensslv.h>

#endif
