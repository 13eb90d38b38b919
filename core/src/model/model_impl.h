#pragma once
// Model internals shared by the engine's torch files (model.cpp, attribution.cpp, trainer).

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "attrscope/model/model.h"
#include "attrscope/text/text_tokenizer.h"
#include "model/arch/bert.h"
#include "io/safetensors_file.h"

namespace attrscope {

struct Model::Impl {
    ModelConfig config;
    std::unique_ptr<Tokenizer> tokenizer;  // BERT's WordPiece (vocab.txt), the official path
    // Every other family's tokenizer (tokenizer.json, vocab.json + merges.txt, SentencePiece).
    std::shared_ptr<const TextTokenizer> textTokenizer;
    std::string directory;
    std::string weightsFile;
    bool hasClassifier = true;
    bool hasPooler = true;  // false when the checkpoint had no pooler (left at its init)
    std::vector<std::string> warnings;
    EncoderClassifier net;  // any family, through the family-neutral interface (encoder.h)
    at::Device device{at::kCPU};
    // Full forward passes from the embeddings (clean passes, batched evaluations), for
    // Model::forwardPasses(); the attribution's suffix passes do not count.
    mutable std::atomic<uint64_t> forwardPasses{0};

    // The same network as a BERT, or empty for the other families (pre-training is BERT-only).
    BertForSequenceClassification bert() const {
        return BertForSequenceClassification(
            std::dynamic_pointer_cast<BertForSequenceClassificationImpl>(net));
    }

    at::TensorOptions floatOptions() const { return at::TensorOptions(device).dtype(at::kFloat); }
    at::TensorOptions longOptions() const { return at::TensorOptions(device).dtype(at::kLong); }
    // [1, n] id and segment tensors on the model's device (segments all 0 for families that
    // read no token types).
    at::Tensor ids(const Encoding& e) const;
    at::Tensor segments(const Encoding& e) const;
    // [L, H] on the device, or undefined for no mask.
    at::Tensor headMaskTensor(const HeadMask* mask) const;
};

// The engine's way in: Model::impl_ is private, so that no header outside core/src reaches the
// torch model (architecture.md: public headers expose no torch types).
struct ModelAccess {
    static Model::Impl& impl(Model& m) { return *m.impl_; }
    static const Model::Impl& impl(const Model& m) { return *m.impl_; }
};

// Logits [C] of one input → logits, class scores (softmax, sigmoid or the raw output, by the
// problem type), arg-max and its label (no attention).
Prediction makePrediction(const ModelConfig& config, const at::Tensor& logits);

// A tensor as float32 safetensors bytes (copied to the CPU).
SafetensorsTensor float32Safetensor(const std::string& name, const at::Tensor& value);

// An HF checkpoint folder: model.safetensors with `tensors`, config.json with `configJson`, and
// the model's vocab.txt and tokenizer_config.json. Creates the folder.
Status writeCheckpoint(const Model::Impl& impl, const std::string& dir,
                       const std::vector<SafetensorsTensor>& tensors,
                       const std::string& configJson);

// Validates an encoding against the model (ids within the vocabulary, length within positions).
Status checkEncoding(const Model::Impl& impl, const Encoding& input);

}  // namespace attrscope
