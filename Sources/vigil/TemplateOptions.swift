import ArgumentParser
import VigilAlerts

/// The options that resolve CloudFormation and SAM templates' intrinsic functions, wherever rules
/// are loaded (replay, tail and every `vigil rules` command).
struct TemplateOptions: ParsableArguments {
    @Option(name: .customLong("parameter"), help: ArgumentHelp(
        "A template parameter or pseudo parameter (AWS::AccountId, AWS::Region, AWS::Partition, AWS::StackName, …) for CloudFormation templates (repeatable; overrides defaults and --parameters-file).",
        valueName: "KEY=VALUE"))
    var parameters: [String] = []

    @Option(name: .customLong("parameters-file"), help: ArgumentHelp(
        "Template parameters in the AWS CLI's form, [{\"ParameterKey\": …, \"ParameterValue\": …}].", valueName: "FILE"))
    var parametersFile: String?

    @Option(name: .customLong("import-value"), help: ArgumentHelp(
        "The value of another stack's export, for Fn::ImportValue (repeatable).", valueName: "NAME=VALUE"))
    var importValues: [String] = []

    func validate() throws {
        for text in parameters + importValues where TemplateParameters.assignment(text) == nil {
            throw ValidationError("\(text) is not KEY=VALUE")
        }
    }

    /// The parameters the options give; a bad parameters file is a usage error.
    func templateParameters() throws -> TemplateParameters {
        var result = TemplateParameters()
        if let parametersFile {
            do {
                result.values = try TemplateParameters.fromFile(parametersFile)
            } catch {
                throw ValidationError(error.description)
            }
        }
        for text in parameters {
            if let (key, value) = TemplateParameters.assignment(text) { result.values[key] = value }
        }
        for text in importValues {
            if let (key, value) = TemplateParameters.assignment(text) { result.importValues[key] = value }
        }
        return result
    }
}
