#pragma once
// The planted-interaction task (membership): A names three objects with three distinct colours,
// B asks whether one of them has a colour:
//   A: "the hat is coral , the car is pink and the cup is white ."  B: "is one of them white ?"  → yes
//   A: "the hat is coral , the car is pink and the cup is white ."  B: "is one of them teal ?"   → no
// Colours come from 32 words, objects from 8, so the answer cannot be memorised: it rests on
// matching B's colour with an identical colour in A. On a "yes" example the planted pair is
// (B's colour, the identical colour word in A). A "no" example has no such pair (see
// test_planted.cpp for why those are reported, not counted).
// Deterministic for a seed (std::mt19937_64 with explicit integer arithmetic, no
// std::distribution whose output differs between standard libraries).

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "attrscope/data/dataset.h"

namespace planted {

struct PlantedExample {
    attrscope::Example example;
    std::string colourA;  // "yes": the matching colour in A; "no": the colour at occurrenceA
    std::string colourB;  // the colour asked in B
    int occurrenceA = 0;  // which colour word of A (0, 1, 2) is colourA
    bool planted() const { return example.label == "yes"; }
};

inline const std::vector<std::string>& colourWords() {
    static const std::vector<std::string> c = {
        "red",    "blue",   "green",  "black", "white",  "pink",  "brown", "grey",
        "orange", "purple", "yellow", "gold",  "silver", "tan",   "navy",  "teal",
        "lime",   "cyan",   "beige",  "olive", "ivory",  "coral", "amber", "mauve",
        "violet", "indigo", "maroon", "khaki", "plum",   "rose",  "ruby",  "jade"};
    return c;
}

// Balanced: even k are "yes", odd k "no".
inline std::vector<PlantedExample> generate(int count, uint64_t seed) {
    static const std::vector<std::string> objects = {"ball", "cup", "box", "hat",
                                                     "car", "pen", "book", "bag"};
    const auto& colours = colourWords();
    std::mt19937_64 rng(seed);
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    std::vector<PlantedExample> out;
    for (int k = 0; k < count; ++k) {
        size_t o[3], c[3];
        o[0] = pick(objects.size());
        do o[1] = pick(objects.size()); while (o[1] == o[0]);
        do o[2] = pick(objects.size()); while (o[2] == o[0] || o[2] == o[1]);
        c[0] = pick(colours.size());
        do c[1] = pick(colours.size()); while (c[1] == c[0]);
        do c[2] = pick(colours.size()); while (c[2] == c[0] || c[2] == c[1]);
        const bool yes = k % 2 == 0;
        const int slot = static_cast<int>(pick(3));
        size_t asked = c[slot];
        if (!yes)
            do asked = pick(colours.size());
            while (asked == c[0] || asked == c[1] || asked == c[2]);
        PlantedExample p;
        p.example.textA = "the " + objects[o[0]] + " is " + colours[c[0]] + " , the " +
                          objects[o[1]] + " is " + colours[c[1]] + " and the " + objects[o[2]] +
                          " is " + colours[c[2]] + " .";
        p.example.textB = "is one of them " + colours[asked] + " ?";
        p.example.label = yes ? "yes" : "no";
        p.example.row = k + 1;
        p.example.id = std::to_string(k);
        p.colourA = colours[c[slot]];
        p.colourB = colours[asked];
        p.occurrenceA = slot;
        out.push_back(std::move(p));
    }
    return out;
}

inline attrscope::Dataset toDataset(const std::vector<PlantedExample>& examples) {
    attrscope::Dataset d;
    d.path = "planted";
    d.format = "glue-pair";
    d.labelNames = {"no", "yes"};
    for (const auto& p : examples) d.examples.push_back(p.example);
    return d;
}

}  // namespace planted
