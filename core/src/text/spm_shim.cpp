#include "spm_shim.h"

#include <sentencepiece_processor.h>

#include <cstring>
#include <string>

namespace {

sentencepiece::SentencePieceProcessor* sp(void* h) {
    return static_cast<sentencepiece::SentencePieceProcessor*>(h);
}

}  // namespace

extern "C" {

void* attrscope_spm_load(const char* data, size_t size, char* error, size_t errorSize) {
    auto* p = new sentencepiece::SentencePieceProcessor();
    auto status = p->LoadFromSerializedProto(std::string(data, size));
    if (!status.ok()) {
        if (errorSize > 0) {
            std::strncpy(error, status.ToString().c_str(), errorSize - 1);
            error[errorSize - 1] = '\0';
        }
        delete p;
        return nullptr;
    }
    return p;
}

void attrscope_spm_free(void* handle) {
    delete sp(handle);
}

int attrscope_spm_size(void* handle) {
    return sp(handle)->GetPieceSize();
}

int attrscope_spm_piece_to_id(void* handle, const char* piece, size_t length) {
    return sp(handle)->PieceToId(std::string(piece, length));
}

const char* attrscope_spm_id_to_piece(void* handle, int id) {
    if (id < 0 || id >= sp(handle)->GetPieceSize())
        return "";
    return sp(handle)->IdToPiece(id).c_str();
}

int attrscope_spm_is_unknown(void* handle, int id) {
    return id >= 0 && id < sp(handle)->GetPieceSize() && sp(handle)->IsUnknown(id) ? 1 : 0;
}

int attrscope_spm_encode(void* handle, const char* text, size_t length, attrscope_spm_piece_fn fn,
                         void* user) {
    try {
        auto spt = sp(handle)->EncodeAsImmutableProto(std::string(text, length));
        for (const auto& p : spt.pieces())
            fn(user, p.piece().data(), p.piece().size(), static_cast<int>(p.id()), p.begin(),
               p.end());
        return 0;
    } catch (...) {
        return -1;
    }
}
}
