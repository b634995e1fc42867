import { expect } from "chai";
import { Interface, id, type InterfaceAbi } from "ethers";

import {
  IAllowanceAuction__factory,
  ICarbonCredit__factory,
  ICarbonMarketplace__factory,
  ICarbonRegistry__factory,
  IComplianceRegistry__factory,
  IERC5192__factory,
  IEmissionAllowance__factory,
  IEmissionsLedger__factory,
  IRetirementCertificate__factory,
  IRetirementRegistry__factory,
} from "../../typechain-types/index.js";
import { deployWorld, type World } from "../helpers/fixtures.js";
import { interfaceIdOf } from "../helpers/market.js";

/**
 * ERC-165 across the suite: every production contract answers true for IERC165 and for each interface it implements
 * (the stable interfaces of `contracts/interfaces/` and the standard ones behind them), and false for every other id.
 *
 * The ids are computed here, not read from the contracts: an interface's id is the XOR of the selectors of the
 * functions it declares itself, its parents' functions left out, as Solidity's `type(I).interfaceId` is. The suite's
 * interfaces come from their typechain ABIs, which include inherited functions; the OpenZeppelin parents have no
 * bindings in this package, so their functions are listed below, each list pinned to the id OpenZeppelin publishes.
 */

/** The signatures of every function of an ABI, inherited ones included. */
function functionsOf(abi: InterfaceAbi): string[] {
  const signatures: string[] = [];
  Interface.from(abi).forEachFunction((fn) => signatures.push(fn.format("sighash")));
  return signatures;
}

/** Standard interfaces, their functions and the id OpenZeppelin (or the EIP) publishes for them. */
const STANDARD = {
  IERC165: { functions: ["supportsInterface(bytes4)"], id: "0x01ffc9a7" },
  IERC1155: {
    functions: [
      "balanceOf(address,uint256)",
      "balanceOfBatch(address[],uint256[])",
      "setApprovalForAll(address,bool)",
      "isApprovedForAll(address,address)",
      "safeTransferFrom(address,address,uint256,uint256,bytes)",
      "safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)",
    ],
    id: "0xd9b67a26",
  },
  IERC1155MetadataURI: { functions: ["uri(uint256)"], id: "0x0e89341c" },
  IERC1155Receiver: {
    functions: [
      "onERC1155Received(address,address,uint256,uint256,bytes)",
      "onERC1155BatchReceived(address,address,uint256[],uint256[],bytes)",
    ],
    id: "0x4e2312e0",
  },
  IERC721: {
    functions: [
      "balanceOf(address)",
      "ownerOf(uint256)",
      "safeTransferFrom(address,address,uint256,bytes)",
      "safeTransferFrom(address,address,uint256)",
      "transferFrom(address,address,uint256)",
      "approve(address,uint256)",
      "setApprovalForAll(address,bool)",
      "getApproved(uint256)",
      "isApprovedForAll(address,address)",
    ],
    id: "0x80ac58cd",
  },
  IERC721Metadata: { functions: ["name()", "symbol()", "tokenURI(uint256)"], id: "0x5b5e139f" },
} as const;

type StandardName = keyof typeof STANDARD;

/** The package's interfaces: their typechain ABI and every interface they inherit from, transitively. */
const SUITE = {
  ICarbonRegistry: { abi: ICarbonRegistry__factory.abi, inherits: [] },
  ICarbonCredit: { abi: ICarbonCredit__factory.abi, inherits: ["IERC1155", "IERC165"] },
  IRetirementRegistry: { abi: IRetirementRegistry__factory.abi, inherits: ["IERC1155Receiver", "IERC165"] },
  IRetirementCertificate: {
    abi: IRetirementCertificate__factory.abi,
    inherits: ["IERC721Metadata", "IERC721", "IERC165", "IERC5192"],
  },
  IERC5192: { abi: IERC5192__factory.abi, inherits: [] },
  ICarbonMarketplace: { abi: ICarbonMarketplace__factory.abi, inherits: ["IERC1155Receiver", "IERC165"] },
  IEmissionsLedger: { abi: IEmissionsLedger__factory.abi, inherits: [] },
  IEmissionAllowance: { abi: IEmissionAllowance__factory.abi, inherits: ["IERC1155", "IERC165"] },
  IComplianceRegistry: { abi: IComplianceRegistry__factory.abi, inherits: [] },
  IAllowanceAuction: { abi: IAllowanceAuction__factory.abi, inherits: [] },
} as const satisfies Record<string, { abi: InterfaceAbi; inherits: readonly string[] }>;

type SuiteName = keyof typeof SUITE;
type InterfaceName = StandardName | SuiteName;

/** The functions an interface declares itself (for a standard one, its listed functions). */
function ownFunctions(name: InterfaceName): string[] {
  if (name in STANDARD) return [...STANDARD[name as StandardName].functions];
  const { abi, inherits } = SUITE[name as SuiteName];
  const inherited = new Set((inherits as readonly InterfaceName[]).flatMap(ownFunctions));
  return functionsOf(abi).filter((signature) => !inherited.has(signature));
}

/** Every interface id this test knows, by name. */
const IDS = Object.fromEntries(
  ([...Object.keys(STANDARD), ...Object.keys(SUITE)] as InterfaceName[]).map((name) => [
    name,
    interfaceIdOf(ownFunctions(name)),
  ]),
) as Record<InterfaceName, string>;

/** ERC-165's reserved invalid id: a conforming contract must answer false. */
const INVALID_ID = "0xffffffff";
/** An id no interface of the suite or of the standards has. */
const RANDOM_ID = id("CNT: an interface nobody implements").slice(0, 10);

/** What each production contract must answer true for; it must answer false for every other id. */
const EXPECTED: { contract: string; key: keyof World; supports: InterfaceName[] }[] = [
  { contract: "CarbonRegistry", key: "registry", supports: ["ICarbonRegistry", "IERC1155Receiver", "IERC165"] },
  {
    contract: "CarbonCredit",
    key: "credit",
    supports: ["ICarbonCredit", "IERC1155", "IERC1155MetadataURI", "IERC165"],
  },
  {
    contract: "RetirementRegistry",
    key: "retirement",
    supports: ["IRetirementRegistry", "IERC1155Receiver", "IERC165"],
  },
  {
    contract: "RetirementCertificate",
    key: "certificate",
    supports: ["IRetirementCertificate", "IERC5192", "IERC721", "IERC721Metadata", "IERC165"],
  },
  {
    contract: "CarbonMarketplace",
    key: "marketplace",
    supports: ["ICarbonMarketplace", "IERC1155Receiver", "IERC165"],
  },
  { contract: "EmissionsLedger", key: "ledger", supports: ["IEmissionsLedger", "IERC165"] },
  {
    contract: "EmissionAllowance",
    key: "allowance",
    supports: ["IEmissionAllowance", "IERC1155", "IERC1155MetadataURI", "IERC165"],
  },
  { contract: "ComplianceRegistry", key: "compliance", supports: ["IComplianceRegistry", "IERC165"] },
  { contract: "AllowanceAuction", key: "auction", supports: ["IAllowanceAuction", "IERC165"] },
];

interface Introspectable {
  supportsInterface: {
    (interfaceId: string): Promise<boolean>;
    estimateGas(interfaceId: string): Promise<bigint>;
  };
}

describe("ERC-165 interfaces", function () {
  let w: World;

  before(async function () {
    // Every test here only reads: one deployment serves them all.
    w = await deployWorld();
  });

  describe("interface ids", function () {
    it("reproduce the ids OpenZeppelin publishes for the standard interfaces", function () {
      for (const [name, standard] of Object.entries(STANDARD)) {
        expect(interfaceIdOf(standard.functions), name).to.equal(standard.id);
      }
    });

    it("reproduce ERC-5192's id from the IERC5192 typechain ABI", function () {
      expect(functionsOf(IERC5192__factory.abi)).to.deep.equal(["locked(uint256)"]);
      expect(IDS.IERC5192).to.equal("0xb45a3c0e");
    });

    it("leave out inherited functions, each parent's functions being in the interface's ABI", function () {
      for (const [name, { abi, inherits }] of Object.entries(SUITE)) {
        const all = functionsOf(abi);
        const own = ownFunctions(name as SuiteName);
        expect(own, `${name} declares functions of its own`).to.not.be.empty;
        for (const parent of inherits as readonly InterfaceName[]) {
          for (const signature of ownFunctions(parent)) {
            expect(all, `${name} inherits ${parent}.${signature}`).to.include(signature);
            expect(own, `${name} does not declare ${parent}.${signature}`).to.not.include(signature);
          }
        }
      }
    });

    it("are distinct, and none is 0x00000000, 0xffffffff or the random id", function () {
      const ids = Object.values(IDS);
      expect(new Set(ids).size).to.equal(ids.length);
      for (const value of ids) {
        expect(value).to.not.be.oneOf(["0x00000000", INVALID_ID, RANDOM_ID]);
      }
    });
  });

  for (const { contract, key, supports } of EXPECTED) {
    describe(contract, function () {
      const target = () => w[key] as unknown as Introspectable;

      it(`answers true for ${supports.join(", ")}`, async function () {
        for (const name of supports) {
          expect(await target().supportsInterface(IDS[name]), `${contract} supports ${name} (${IDS[name]})`).to.equal(
            true,
          );
        }
      });

      it("answers false for every other interface of the suite and of the standards", async function () {
        const others = (Object.keys(IDS) as InterfaceName[]).filter((name) => !supports.includes(name));
        expect(others).to.not.be.empty;
        for (const name of others) {
          expect(await target().supportsInterface(IDS[name]), `${contract} supports ${name} (${IDS[name]})`).to.equal(
            false,
          );
        }
      });

      const extending = supports.filter((n): n is SuiteName => n in SUITE && SUITE[n as SuiteName].inherits.length > 0);
      if (extending.length > 0) {
        it(`answers false for ${extending.join(", ")} with the inherited functions folded in`, async function () {
          for (const name of extending) {
            const withInherited = interfaceIdOf(functionsOf(SUITE[name].abi));
            expect(withInherited).to.not.equal(IDS[name]);
            expect(await target().supportsInterface(withInherited), `${name} with inherited functions`).to.equal(false);
          }
        });
      }

      it("answers false for 0xffffffff and for a random id", async function () {
        expect(await target().supportsInterface(INVALID_ID)).to.equal(false);
        expect(await target().supportsInterface(RANDOM_ID)).to.equal(false);
      });

      it("answers within ERC-165's 30,000 gas", async function () {
        // The estimate includes the 21,000 base and the calldata of the call.
        for (const value of [IDS.IERC165, INVALID_ID]) {
          expect(await target().supportsInterface.estimateGas(value)).to.be.lessThan(21_000n + 30_000n);
        }
      });
    });
  }
});
