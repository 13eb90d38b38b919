#pragma once
// The C interface of the SentencePiece shim (spm_shim.cpp, built as a module). Debian's
// libsentencepiece carries its own protobuf 3.14 runtime with exported symbols, which clash with
// the protobuf that LibTorch loads; the shim is therefore opened with dlopen(RTLD_LOCAL |
// RTLD_DEEPBIND) so that neither library binds to the other's copy.

#include <cstddef>
#include <cstdint>

extern "C" {

// One piece of an encoding: the piece string, its id and its byte span in the input.
typedef void (*attrscope_spm_piece_fn)(void* user, const char* piece, size_t length, int id,
                                       uint32_t begin, uint32_t end);

// Returns a handle, or null with a message in `error` (NUL-terminated, at most errorSize bytes).
void* attrscope_spm_load(const char* data, size_t size, char* error, size_t errorSize);
void attrscope_spm_free(void* handle);
int attrscope_spm_size(void* handle);
int attrscope_spm_piece_to_id(void* handle, const char* piece, size_t length);
// The piece string of an id (valid until the handle is freed), empty when out of range.
const char* attrscope_spm_id_to_piece(void* handle, int id);
int attrscope_spm_is_unknown(void* handle, int id);
// Encodes text, calling `fn` once per piece; returns 0, or -1 on failure.
int attrscope_spm_encode(void* handle, const char* text, size_t length, attrscope_spm_piece_fn fn,
                         void* user);
}
